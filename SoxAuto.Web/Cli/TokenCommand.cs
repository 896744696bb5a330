using SoxAuto.Core;
using SoxAuto.Core.Tokens;

namespace SoxAuto.Web.Cli;

/// <summary>
/// Access tokens for the HTTP API, headless, recorded as the operating-system account that runs the verb:
/// <c>token issue --name NAME --role Auditor --expires 30d</c> prints one JSON object with the token (the only
/// time it is shown); <c>token revoke --name NAME</c> revokes it. Exit code 0 when done; 1 when refused (a name
/// already taken, no such token, already revoked); 2 for bad arguments (an unknown role, a bad duration).
/// </summary>
public static class TokenCommand
{
    public const string Verb = "token";
    private const string Usage = "Usage: token issue --name <name> --role <Auditor|Reviewer|Admin> --expires <12h|30d|8w>  |  token revoke --name <name>";

    public static async Task<int> RunAsync(CommandLine command)
    {
        var (hostArgs, args) = VerbHost.Split(command);
        var action = args.FirstOrDefault();
        var options = new Dictionary<string, string>();
        for (var i = 1; i < args.Count; i += 2)
        {
            if (args[i] is not ("--name" or "--role" or "--expires") || i + 1 >= args.Count)
                return await RefuseAsync($"Unexpected argument '{args[i]}'.", 2);
            options[args[i][2..]] = args[i + 1];
        }
        var allowed = action switch { "issue" => (string[])["name", "role", "expires"], "revoke" => ["name"], _ => [] };
        if (allowed.Length == 0 || options.Keys.Any(k => !allowed.Contains(k)) || allowed.Any(k => !options.ContainsKey(k)))
            return await RefuseAsync(action is "issue" or "revoke" ? $"token {action} takes {string.Join(", ", allowed.Select(a => "--" + a))}." : "Say what to do: issue or revoke.", 2);
        // The role and the duration are arguments: checked before anything is started.
        if (action == "issue")
        {
            try { AccessTokens.ParseScope(options["role"]); }
            catch (TokenException e) { return await RefuseAsync(e.Message, 2); }
            if (!TokenLifetime.TryParse(options["expires"], out _, out var error)) return await RefuseAsync(error, 2);
        }

        await using var app = await VerbHost.StartAsync(hostArgs);
        var tokens = app.Services.GetRequiredService<AccessTokens>();
        var who = VerbHost.Operator();
        try
        {
            if (action == "issue")
            {
                var issued = await tokens.IssueAsync(options["name"], options["role"], options["expires"], who);
                VerbHost.Print(new
                {
                    name = issued.Token.Name,
                    role = issued.Token.Scope.ToString(),
                    token = issued.Secret,
                    expiresAt = issued.Token.ExpiresAt,
                    issuedBy = issued.Token.IssuedBy,
                    runsRecordedAs = issued.Token.Identity,
                });
                await Console.Error.WriteLineAsync($"Token {issued.Token.Name} issued; keep it now, it is not shown again (SoxAuto keeps only its SHA-256).");
            }
            else
            {
                var revoked = await tokens.RevokeAsync(options["name"], who);
                VerbHost.Print(new { name = revoked.Name, role = revoked.Scope.ToString(), revokedAt = revoked.RevokedAt, revokedBy = revoked.RevokedBy });
            }
            return 0;
        }
        catch (TokenException e)
        {
            return await RefuseAsync(e.Message, 1);
        }
    }

    private static async Task<int> RefuseAsync(string message, int exit)
    {
        await Console.Error.WriteLineAsync(message);
        if (exit == 2) await Console.Error.WriteLineAsync(Usage);
        return exit;
    }
}
