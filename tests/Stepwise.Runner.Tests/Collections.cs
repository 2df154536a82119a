using Stepwise.Testing;

namespace Stepwise.Runner.Tests;

[CollectionDefinition("postgres")]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>;

[CollectionDefinition("mariadb")]
public sealed class MariaDbCollection : ICollectionFixture<MariaDbFixture>;
