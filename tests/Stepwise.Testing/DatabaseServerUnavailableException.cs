namespace Stepwise.Testing;

/// <summary>
/// A database server could not be found or started on this machine. The message names the Debian package
/// to install; tests that need the server fail with it rather than being skipped.
/// </summary>
public sealed class DatabaseServerUnavailableException : Exception
{
    public DatabaseServerUnavailableException()
    {
    }

    public DatabaseServerUnavailableException(string message)
        : base(message)
    {
    }

    public DatabaseServerUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public DatabaseServerUnavailableException(string package, string message)
        : base(message)
    {
        Package = package;
    }

    /// <summary>The Debian package that provides the missing server, when known.</summary>
    public string? Package { get; }
}
