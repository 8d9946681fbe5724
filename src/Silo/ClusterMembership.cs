using Npgsql;

namespace Vectros.Silo;

/// <summary>Operations on the membership rows of <c>orleans_membership</c> that Orleans itself leaves to operators.</summary>
public static class ClusterMembership
{
    /// <summary>
    /// Deletes a finished cluster's rows (its version row and, by cascade, its silos). Used for the admin command's
    /// private cluster, whose rows would otherwise stay behind after every run.
    /// </summary>
    public static async Task ForgetAsync(NpgsqlDataSource dataSource, string clusterId)
    {
        await using var cmd = dataSource.CreateCommand("DELETE FROM orleans_membership_version WHERE deployment_id = $1");
        cmd.Parameters.Add(new NpgsqlParameter { Value = clusterId });
        await cmd.ExecuteNonQueryAsync();
    }
}
