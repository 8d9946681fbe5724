using System.Globalization;
using System.Text;
using Npgsql;
using NpgsqlTypes;
using static Vectros.Grains.Storage.SqlParam;

namespace Vectros.Grains.Storage;

/// <summary>
/// The WHERE clause of one query, built from fixed fragments with every value a bound parameter, so no caller-supplied
/// text ever reaches the SQL. Query grains start it bound to the tenant (and whatever else scopes the query).
/// </summary>
internal sealed class SqlWhere
{
    private readonly StringBuilder _where = new();
    private readonly List<NpgsqlParameter> _parameters = [];

    public string Conditions => _where.ToString();

    public IReadOnlyList<NpgsqlParameter> Parameters => _parameters;

    /// <summary>Binds <paramref name="value"/> and returns its placeholder (<c>$n</c>).</summary>
    public string Add(object? value, NpgsqlDbType type)
    {
        _parameters.Add(Of(value, type));
        return "$" + _parameters.Count.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Adds <c>AND fragment</c>, with <c>{0}</c> standing for the bound value.</summary>
    public SqlWhere Where(string fragment, object? value, NpgsqlDbType type)
    {
        var placeholder = Add(value, type);
        _where.Append(_where.Length == 0 ? "" : " AND ").Append(fragment.Replace("{0}", placeholder, StringComparison.Ordinal));
        return this;
    }
}
