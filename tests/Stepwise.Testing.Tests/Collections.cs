namespace Stepwise.Testing.Tests;

// The declarations every test project that shares one server per assembly writes (see README.md).
[CollectionDefinition("postgres")]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>;

[CollectionDefinition("mariadb")]
public sealed class MariaDbCollection : ICollectionFixture<MariaDbFixture>;
