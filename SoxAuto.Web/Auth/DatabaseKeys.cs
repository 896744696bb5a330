using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.EntityFrameworkCore;
using SoxAuto.Core.Data;

namespace SoxAuto.Web.Auth;

/// <summary>The Data Protection key ring in the database (<see cref="SessionKey"/> rows), shared by every
/// instance on it. Keys are only ever added: the framework rotates by adding a new key and lets old ones
/// expire, and it reads the whole ring again when it refreshes (every day, or on a key it does not know).</summary>
internal sealed class DatabaseKeys(IDbContextFactory<SoxAutoDb> dbs, string legacyFolder) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var db = dbs.CreateDbContext();
        var keys = db.SessionKeys.AsNoTracking().OrderBy(k => k.Id).Select(k => k.Xml).ToList();
        if (keys.Count == 0 && ImportLegacyFolder(db))
            keys = db.SessionKeys.AsNoTracking().OrderBy(k => k.Id).Select(k => k.Xml).ToList();
        return keys.Select(x => XElement.Parse(x)).ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var db = dbs.CreateDbContext();
        db.SessionKeys.Add(new SessionKey { Name = friendlyName, Xml = element.ToString(SaveOptions.DisableFormatting) });
        db.SaveChanges();
    }

    /// <summary>Copies the key files an earlier version wrote to the data folder, so that cookies issued
    /// before the upgrade still open. The files are left where they are (a backup may still want them).</summary>
    private bool ImportLegacyFolder(SoxAutoDb db)
    {
        if (!Directory.Exists(legacyFolder)) return false;
        var files = Directory.GetFiles(legacyFolder, "*.xml").Order(StringComparer.Ordinal).ToList();
        foreach (var file in files)
            db.SessionKeys.Add(new SessionKey { Name = Path.GetFileNameWithoutExtension(file), Xml = XElement.Load(file).ToString(SaveOptions.DisableFormatting) });
        db.SaveChanges();
        return files.Count > 0;
    }
}
