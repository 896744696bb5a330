using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SoxAuto.Core;
using SoxAuto.Core.Data;

namespace SoxAuto.Web.Auth;

/// <summary>
/// The Data Protection keys that seal the session cookie and the antiforgery tokens. By default they
/// would live in the account's home folder (~/.aspnet): lost with a container, so every restart would
/// sign everyone out. They live in the database instead (the SessionKeys table), so that every instance
/// on one database opens the cookies another issued; encrypted with a certificate when
/// SoxAuto:DataProtection:Certificate names one, with DPAPI on Windows, and otherwise in plain XML
/// (docs/operations/running.md says how to protect them). Keys an earlier version kept in the data
/// folder (<c>keys/</c>) are copied into the database once, so nobody is signed out by the upgrade.
/// </summary>
public static class SessionKeys
{
    public const string CertificateKey = "SoxAuto:DataProtection:Certificate";
    public const string CertificatePasswordKey = "SoxAuto:DataProtection:CertificatePassword";

    /// <summary>Where earlier versions kept the keys (read once, to copy them into the database).</summary>
    public static string FolderIn(DataFolder data) => Path.Combine(data.Root, "keys");

    public static WebApplicationBuilder AddSessionKeys(this WebApplicationBuilder builder)
    {
        // A fixed name, not the default (the content root path): a moved or second installation on
        // the same data folder reads the same cookies.
        var protection = builder.Services.AddDataProtection().SetApplicationName("SoxAuto");
        builder.Services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp => new ConfigureOptions<KeyManagementOptions>(o =>
            o.XmlRepository = new DatabaseKeys(sp.GetRequiredService<IDbContextFactory<SoxAutoDb>>(), FolderIn(sp.GetRequiredService<DataFolder>()))));
        if (!string.IsNullOrWhiteSpace(builder.Configuration[CertificateKey]))
            protection.ProtectKeysWithCertificate(Certificate(builder.Configuration));
        else if (OperatingSystem.IsWindows())
            protection.ProtectKeysWithDpapi();
        return builder;
    }

    private static X509Certificate2 Certificate(IConfiguration configuration)
    {
        var path = configuration[CertificateKey]!;
        try
        {
            var certificate = X509CertificateLoader.LoadPkcs12FromFile(path, configuration[CertificatePasswordKey]);
            return certificate.HasPrivateKey ? certificate : throw new StartupRefusalException(
                $"SoxAuto cannot start: the certificate in {CertificateKey} ('{path}') has no private key, so it could not decrypt the keys it protects. Give a PKCS#12 (.pfx) file with its private key.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new StartupRefusalException(
                $"SoxAuto cannot start: {CertificateKey} = '{path}' cannot be read as a PKCS#12 (.pfx) certificate: {e.Message} " +
                $"(its password, if any, goes in {CertificatePasswordKey}, given through the environment).");
        }
    }
}
