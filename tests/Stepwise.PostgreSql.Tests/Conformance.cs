using Stepwise.Engines.Conformance;
using Stepwise.Testing;

namespace Stepwise.PostgreSql.Tests;

[CollectionDefinition("postgres")]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>;

[Collection("postgres")]
public sealed class PostgresJournalConformance(PostgresFixture fixture) : JournalConformance(new PostgresTarget(fixture));

[Collection("postgres")]
public sealed class PostgresJournalUpgradeConformance(PostgresFixture fixture) : JournalUpgradeConformance(new PostgresTarget(fixture));

[Collection("postgres")]
public sealed class PostgresLockConformance(PostgresFixture fixture) : LockConformance(new PostgresTarget(fixture));

[Collection("postgres")]
public sealed class PostgresExecutionConformance(PostgresFixture fixture) : ExecutionConformance(new PostgresTarget(fixture));

[Collection("postgres")]
public sealed class PostgresErrorConformance(PostgresFixture fixture) : ErrorConformance(new PostgresTarget(fixture));

[Collection("postgres")]
public sealed class PostgresBackfillSqlConformance(PostgresFixture fixture) : BackfillSqlConformance(new PostgresTarget(fixture));

[Collection("postgres")]
public sealed class PostgresCatalogConformance(PostgresFixture fixture) : CatalogConformance(new PostgresTarget(fixture));
