namespace SoxAuto.Core.Packages;

/// <summary>An evidence certificate SoxAuto has issued, by its SHA-256, so that the verify page and verb
/// can say which run a certificate belongs to. A run has one certificate before its sign-off and another
/// after it (the sign-off is printed on it); both stay recorded.</summary>
public sealed class IssuedCertificate
{
    public int Id { get; set; }
    public required string Sha256 { get; set; }
    public long Bytes { get; set; }
    public int RunId { get; set; }
    /// <summary>The sign-off printed on the certificate, or null when it was issued before one.</summary>
    public int? SignOffId { get; set; }
    public DateTimeOffset FirstIssuedAt { get; set; }
}
