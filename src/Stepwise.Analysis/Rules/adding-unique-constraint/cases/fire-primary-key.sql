ALTER TABLE ONLY public.accounts ADD PRIMARY KEY ("id");
