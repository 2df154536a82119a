using Stepwise.Engines.Conformance;
using Stepwise.Testing;

namespace Stepwise.MySql.Tests;

[CollectionDefinition("mariadb")]
public sealed class MariaDbCollection : ICollectionFixture<MariaDbFixture>;

[Collection("mariadb")]
public sealed class MariaDbJournalConformance(MariaDbFixture fixture) : JournalConformance(new MariaDbTarget(fixture));

[Collection("mariadb")]
public sealed class MariaDbJournalUpgradeConformance(MariaDbFixture fixture) : JournalUpgradeConformance(new MariaDbTarget(fixture));

[Collection("mariadb")]
public sealed class MariaDbLockConformance(MariaDbFixture fixture) : LockConformance(new MariaDbTarget(fixture));

[Collection("mariadb")]
public sealed class MariaDbExecutionConformance(MariaDbFixture fixture) : ExecutionConformance(new MariaDbTarget(fixture));

[Collection("mariadb")]
public sealed class MariaDbErrorConformance(MariaDbFixture fixture) : ErrorConformance(new MariaDbTarget(fixture));

[Collection("mariadb")]
public sealed class MariaDbBackfillSqlConformance(MariaDbFixture fixture) : BackfillSqlConformance(new MariaDbTarget(fixture));

[Collection("mariadb")]
public sealed class MariaDbCatalogConformance(MariaDbFixture fixture) : CatalogConformance(new MariaDbTarget(fixture));
