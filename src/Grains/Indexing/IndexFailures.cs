using Npgsql;

namespace Vectros.Grains.Indexing;

/// <summary>Turns the exception that ended a source's last attempt into the <c>indexFailure</c> it reports.</summary>
internal static class IndexFailures
{
    public static IndexFailure From(Exception ex, int attempts) => ex switch
    {
        IndexingException indexing => new IndexFailure(indexing.Code, indexing.Message),

        // program_limit_exceeded: e.g. a text too large for a tsvector.
        PostgresException { SqlState: PostgresErrorCodes.ProgramLimitExceeded } =>
            new IndexFailure(IndexFailure.TextIndexFailed, "The text could not be added to the full-text index (it exceeds a PostgreSQL limit)."),
        _ => new IndexFailure(IndexFailure.IndexingFailed, $"Indexing failed after {attempts} attempts ({ex.GetType().Name})."),
    };
}
