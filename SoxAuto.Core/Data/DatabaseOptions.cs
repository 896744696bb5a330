using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace SoxAuto.Core.Data;

/// <summary>The databases SoxAuto can keep its records in.</summary>
public enum DatabaseProvider { Sqlite, PostgreSql }

/// <summary>The "SoxAuto:Database" section: SQLite in the data folder (the default), or a PostgreSQL
/// server shared by several instances. Every key is documented in docs/configuration.md.</summary>
public sealed class DatabaseOptions : IValidatableObject
{
    public const string Section = "SoxAuto:Database";

    /// <summary>The assembly holding the PostgreSQL migrations (EF Core keeps one set per assembly).</summary>
    public const string PostgreSqlMigrations = "SoxAuto.Data.PostgreSql";

    /// <summary>Sqlite or PostgreSql, in any letter case; code compares <see cref="Kind"/>.</summary>
    [RegularExpression("^(?i:sqlite|postgresql)$", ErrorMessage = "SoxAuto:Database:Provider must be Sqlite or PostgreSql.")]
    public string Provider { get; set; } = nameof(DatabaseProvider.Sqlite);

    /// <summary>The PostgreSQL connection string (a secret: give it through the environment). Not used for SQLite,
    /// whose file is soxauto.db in the data folder.</summary>
    public string? ConnectionString { get; set; }

    public DatabaseProvider Kind =>
        Enum.TryParse<DatabaseProvider>(Provider, ignoreCase: true, out var kind) && Enum.IsDefined(kind) ? kind : DatabaseProvider.Sqlite;

    /// <summary>The provider as configured, read before the options are bound (registration needs it).</summary>
    public static DatabaseProvider In(IConfiguration configuration) =>
        (configuration.GetSection(Section).Get<DatabaseOptions>() ?? new()).Kind;

    public IEnumerable<ValidationResult> Validate(ValidationContext context)
    {
        if (Kind != DatabaseProvider.PostgreSql) yield break;
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            yield return new ValidationResult(
                "SoxAuto:Database:ConnectionString is empty, and SoxAuto:Database:Provider = PostgreSql needs it " +
                "(e.g. Host=db.example;Database=soxauto;Username=soxauto;Password=...; give it through the environment as SoxAuto__Database__ConnectionString).",
                [nameof(ConnectionString)]);
            yield break;
        }
        string? error = null;
        try
        {
            var parsed = new NpgsqlConnectionStringBuilder(ConnectionString);
            if (string.IsNullOrWhiteSpace(parsed.Host)) error = "it names no Host";
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException)
        {
            // The message names the keyword at fault, never the value (the string holds the password).
            error = e.Message;
        }
        if (error is not null)
            yield return new ValidationResult(
                $"SoxAuto:Database:ConnectionString cannot be read as a PostgreSQL connection string: {error}.", [nameof(ConnectionString)]);
    }
}
