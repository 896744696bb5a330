using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using SoxAuto.Core.Data;

namespace SoxAuto.Core.Backup;

/// <summary>
/// A consistent copy of the database while SoxAuto runs, with SQLite's online backup API: the copy is the
/// database as of one moment, whatever other processes write meanwhile (copying soxauto.db with cp while
/// a run saves could catch half a transaction, or miss what is still in the write-ahead log).
/// docs/operations/deployment.md says how it fits into a backup of the whole data folder.
/// </summary>
public sealed class DatabaseBackup(DataFolder folder, IOptions<DatabaseOptions> database)
{
    /// <summary>Writes the copy to <paramref name="file"/> (a new file: an existing one is refused, so a
    /// backup never overwrites an older one by mistake) and returns its size in bytes.</summary>
    public long WriteTo(string file)
    {
        if (database.Value.Kind != DatabaseProvider.Sqlite)
            throw new BackupException("SoxAuto:Database:Provider is PostgreSql: back the database up with the server's own means " +
                "(pg_dump, or RDS snapshots and point-in-time recovery); this verb copies the SQLite database of the data folder only.");
        var target = Path.GetFullPath(file);
        if (File.Exists(target))
            throw new BackupException($"{target} exists already; give a new file name (a backup never overwrites one).");
        if (Path.GetDirectoryName(target) is { } dir && !Directory.Exists(dir))
            throw new BackupException($"The folder {dir} does not exist.");
        if (!File.Exists(folder.DatabaseFile))
            throw new BackupException($"There is no database at {folder.DatabaseFile} (SoxAuto:DataPath) to back up.");

        var partial = target + ".partial";
        try
        {
            using (var source = new SqliteConnection($"Data Source={folder.DatabaseFile};Pooling=False"))
            using (var copy = new SqliteConnection($"Data Source={partial};Pooling=False"))
            {
                source.Open();
                copy.Open();
                source.BackupDatabase(copy);
                // The copy is one self-contained file, readable without its -wal beside it.
                using var journal = copy.CreateCommand();
                journal.CommandText = "PRAGMA journal_mode=DELETE;";
                journal.ExecuteNonQuery();
            }
            File.Move(partial, target);
            return new FileInfo(target).Length;
        }
        finally
        {
            if (File.Exists(partial)) File.Delete(partial);
        }
    }
}

/// <summary>A backup or a restore check that cannot be done; the message is for the operator.</summary>
public sealed class BackupException(string message) : Exception(message);
