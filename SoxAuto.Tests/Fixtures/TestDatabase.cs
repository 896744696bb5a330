using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using SoxAuto.Core.Data;

namespace SoxAuto.Tests.Fixtures;

/// <summary>SoxAuto's SQLite database alone, on disk in a fresh folder, migrated (to the latest migration
/// or an earlier one), for tests of what the database itself guarantees.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly TempDataFolder _folder = new();
    private readonly ServiceProvider _services;

    private TestDatabase(IInterceptor[] interceptors)
    {
        _services = new ServiceCollection()
            .AddLogging()
            .AddDbContextFactory<SoxAutoDb>(o => o.UseSqlite($"Data Source={_folder.Folder.DatabaseFile};Pooling=False").AddInterceptors(interceptors))
            .BuildServiceProvider();
    }

    public IServiceProvider Services => _services;
    /// <summary>The data folder holding the database, for a headless verb pointed at it.</summary>
    public string DataPath => _folder.Folder.Root;
    public IDbContextFactory<SoxAutoDb> Dbs => _services.GetRequiredService<IDbContextFactory<SoxAutoDb>>();

    /// <param name="migration">Migrate only up to this migration (e.g. to build a database as an earlier version left it).</param>
    public static async Task<TestDatabase> CreateAsync(string? migration = null, params IInterceptor[] interceptors)
    {
        var database = new TestDatabase(interceptors);
        await database.MigrateAsync(migration);
        return database;
    }

    public async Task MigrateAsync(string? migration = null)
    {
        await using var db = await Dbs.CreateDbContextAsync();
        await db.GetService<IMigrator>().MigrateAsync(migration);
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        _folder.Dispose();
    }
}
