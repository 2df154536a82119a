using Stepwise.Engines;

namespace Stepwise.Migrations.Backfill;

/// <summary>What a backfill run would do, read from the database without changing anything.</summary>
/// <param name="Key">The key it walks, in order.</param>
/// <param name="EstimatedRows">The planner's row estimate, when known.</param>
/// <param name="BatchSize">Rows in the first batch.</param>
/// <param name="BatchTime">Target batch duration (null: fixed size).</param>
/// <param name="Checkpoint">The checkpoint it would resume from, or null for a fresh start.</param>
public sealed record BackfillPlan(IReadOnlyList<KeyColumn> Key, long? EstimatedRows, int BatchSize, TimeSpan? BatchTime, BackfillCheckpoint? Checkpoint);
