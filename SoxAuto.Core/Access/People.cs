using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SoxAuto.Core.Data;

namespace SoxAuto.Core.Access;

/// <summary>Keeps <see cref="Person"/> up to date as people sign in.</summary>
public sealed class People(IDbContextFactory<SoxAutoDb> dbs, TimeProvider clock)
{
    /// <summary>Records a sign-in: one statement that inserts the person or updates them, so that two
    /// processes signing the same person in at once cannot collide. Names quoted: SQLite and PostgreSQL
    /// (which would fold unquoted names to lower case) read it alike.</summary>
    public async Task SignedInAsync(Person person, CancellationToken ct = default)
    {
        var roles = JsonSerializer.Serialize(person.Roles, SoxAutoDb.Json);
        var groups = JsonSerializer.Serialize(person.Groups, SoxAutoDb.Json);
        var at = SoxAutoDb.UtcText(clock.GetUtcNow());
        await using var db = await dbs.CreateDbContextAsync(ct);
        await db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO "People" ("Subject", "Name", "Email", "SignIn", "Roles", "Groups", "LastSignInAt")
            VALUES ({person.Subject}, {person.Name}, {person.Email}, {person.SignIn}, {roles}, {groups}, {at})
            ON CONFLICT ("Subject") DO UPDATE SET "Name" = excluded."Name", "Email" = excluded."Email", "SignIn" = excluded."SignIn",
                "Roles" = excluded."Roles", "Groups" = excluded."Groups", "LastSignInAt" = excluded."LastSignInAt"
            """, ct);
    }
}
