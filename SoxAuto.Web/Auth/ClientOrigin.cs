using System.Net;

namespace SoxAuto.Web.Auth;

/// <summary>Where the person's browser connects from, for the audit trail. Captured from the HTTP
/// request that opened the page (App.razor hands it to Routes), because an interactive circuit has no
/// reliable HttpContext of its own.</summary>
public sealed class ClientOrigin
{
    public string? Address { get; set; }

    public static string Of(HttpContext http) => Describe(http.Connection.RemoteIpAddress);

    public static string Describe(IPAddress? address) =>
        address is null ? "unknown" : (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();
}
