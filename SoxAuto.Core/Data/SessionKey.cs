namespace SoxAuto.Core.Data;

/// <summary>One Data Protection key (the XML element ASP.NET Core writes), kept in the database so that every
/// instance on it seals and opens the same session cookies and antiforgery tokens. The web app's
/// repository (SoxAuto.Web/Auth/SessionKeys.cs) reads and writes these rows; nothing else does.</summary>
public sealed class SessionKey
{
    public int Id { get; set; }
    /// <summary>The key's file name as ASP.NET Core names it (key-&lt;guid&gt;).</summary>
    public required string Name { get; set; }
    /// <summary>The key element, encrypted with the certificate when one is configured.</summary>
    public required string Xml { get; set; }
}
