using Stepwise.Testing;

namespace Stepwise.EntityFrameworkCore.Tests;

[CollectionDefinition("postgres")]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>;
