using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;

namespace Stepwise.Migrations.Tests.Transcripts;

/// <summary>A data connection (backfill batches, checkpoints) that records each command, its parameters and its
/// transaction boundaries as "data: …" lines, and runs them on the real connection underneath.</summary>
internal sealed class RecordingConnection(DbConnection inner, Transcript log) : DbConnection
{
    internal DbConnection Inner => inner;

    internal Transcript Log => log;

    [AllowNull]
    public override string ConnectionString
    {
        get => inner.ConnectionString;
        set => inner.ConnectionString = value;
    }

    public override string Database => inner.Database;

    public override string DataSource => inner.DataSource;

    public override string ServerVersion => inner.ServerVersion;

    public override ConnectionState State => inner.State;

    public override void ChangeDatabase(string databaseName) => inner.ChangeDatabase(databaseName);

    public override void Close() => inner.Close();

    public override void Open() => inner.Open();

    protected override DbTransaction BeginDbTransaction(IsolationLevel isolationLevel)
    {
        log.Add("data: BEGIN");
        return new RecordingTransaction(this, inner.BeginTransaction(isolationLevel));
    }

    protected override DbCommand CreateDbCommand() => new RecordingCommand(this, inner.CreateCommand());

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            log.Add("close data connection");
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        log.Add("close data connection");
        await inner.DisposeAsync().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }
}

internal sealed class RecordingTransaction(RecordingConnection connection, DbTransaction inner) : DbTransaction
{
    internal DbTransaction Inner => inner;

    public override IsolationLevel IsolationLevel => inner.IsolationLevel;

    protected override DbConnection DbConnection => connection;

    public override void Commit()
    {
        connection.Log.Add("data: COMMIT");
        inner.Commit();
    }

    public override void Rollback()
    {
        connection.Log.Add("data: ROLLBACK");
        inner.Rollback();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}

internal sealed class RecordingCommand(RecordingConnection connection, DbCommand inner) : DbCommand
{
    private RecordingTransaction? _transaction;

    [AllowNull]
    public override string CommandText
    {
        get => inner.CommandText;
        set => inner.CommandText = value;
    }

    public override int CommandTimeout
    {
        get => inner.CommandTimeout;
        set => inner.CommandTimeout = value;
    }

    public override CommandType CommandType
    {
        get => inner.CommandType;
        set => inner.CommandType = value;
    }

    public override bool DesignTimeVisible
    {
        get => inner.DesignTimeVisible;
        set => inner.DesignTimeVisible = value;
    }

    public override UpdateRowSource UpdatedRowSource
    {
        get => inner.UpdatedRowSource;
        set => inner.UpdatedRowSource = value;
    }

    protected override DbConnection? DbConnection
    {
        get => connection;
        set => throw new NotSupportedException("a recorded command stays on its connection");
    }

    protected override DbParameterCollection DbParameterCollection => inner.Parameters;

    protected override DbTransaction? DbTransaction
    {
        get => _transaction;
        set
        {
            _transaction = (RecordingTransaction?)value;
            inner.Transaction = _transaction?.Inner;
        }
    }

    public override void Cancel() => inner.Cancel();

    public override int ExecuteNonQuery() => Record(() => inner.ExecuteNonQuery(), n => $"{n} row{(n == 1 ? string.Empty : "s")}");

    public override object? ExecuteScalar() => Record(() => inner.ExecuteScalar(), _ => null);

    public override void Prepare() => inner.Prepare();

    protected override DbParameter CreateDbParameter() => inner.CreateParameter();

    protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior) => Record(() => inner.ExecuteReader(behavior), _ => null);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>One line per command: its SQL on one line, its parameters, and what it did or the error.</summary>
    private T Record<T>(Func<T> run, Func<T, string?> outcome)
    {
        var parameters = inner.Parameters.Cast<DbParameter>().Select(p => $"{p.ParameterName}={(p.Value is null or DBNull ? "NULL" : Convert.ToString(p.Value, System.Globalization.CultureInfo.InvariantCulture))}").ToList();
        var line = "data: " + Transcript.OneLine(inner.CommandText) + (parameters.Count == 0 ? string.Empty : " [" + string.Join(" ", parameters) + "]");
        try
        {
            var result = run();
            var said = outcome(result);
            connection.Log.Add(said is null ? line : line + " -> " + said);
            return result;
        }
        catch (DbException ex)
        {
            connection.Log.Add(line);
            connection.Log.Add("  ! " + ex.Message);
            throw;
        }
    }
}
