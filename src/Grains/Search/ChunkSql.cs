using Npgsql;

namespace Vectros.Grains.Search;

/// <summary>
/// The positional parameters of one search statement, handed out as <c>$n</c> while its text is assembled: every
/// value a request supplies is bound, never spliced into SQL.
/// </summary>
internal sealed class ChunkSql
{
    private readonly List<NpgsqlParameter> _parameters = [];

    public IReadOnlyList<NpgsqlParameter> Parameters => _parameters;

    /// <summary>Binds <paramref name="parameter"/> and returns its placeholder.</summary>
    public string Bind(NpgsqlParameter parameter)
    {
        _parameters.Add(parameter);
        return "$" + _parameters.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>A command over the statement text with every bound parameter.</summary>
    public NpgsqlBatchCommand Command(string text)
    {
        var command = new NpgsqlBatchCommand(text);
        foreach (var parameter in _parameters)
        {
            command.Parameters.Add(parameter);
        }

        return command;
    }
}
