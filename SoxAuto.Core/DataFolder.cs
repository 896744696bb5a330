using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace SoxAuto.Core;

/// <summary>The one folder that holds all of SoxAuto's state (SoxAuto:DataPath).</summary>
public sealed class DataFolder
{
    public DataFolder(IOptions<SoxAutoOptions> options, IHostEnvironment env)
        : this(Path.GetFullPath(options.Value.DataPath, env.ContentRootPath), options.Value.LakePath) { }

    public DataFolder(string root, string? lakePath = null)
    {
        Root = root;
        Directory.CreateDirectory(Root);
        Lake = string.IsNullOrWhiteSpace(lakePath) ? Path.Combine(Root, "lake") : Path.GetFullPath(lakePath, Root);
    }

    public string Root { get; }
    public string DatabaseFile => Path.Combine(Root, "soxauto.db");
    /// <summary>The demo data lake: one folder per Athena database, one Parquet file per table.</summary>
    public string Lake { get; }
    /// <summary>Where the local engine writes query results, as Athena writes them to S3.</summary>
    public string EngineResults => Path.Combine(Root, "engine-results");
    /// <summary>Stored extracts and workbooks, one folder per run.</summary>
    public string Evidence => Path.Combine(Root, "evidence");

    public string Absolute(string relative) => Path.GetFullPath(relative, Root);
    public string Relative(string absolute) => Path.GetRelativePath(Root, absolute);
}
