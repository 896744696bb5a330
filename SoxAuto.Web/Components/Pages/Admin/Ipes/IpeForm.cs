using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using SoxAuto.Core.Catalog;

namespace SoxAuto.Web.Components.Pages.Admin.Ipes;

/// <summary>What the edit form binds to: an IPE definition as editable text, turned back into an
/// immutable <see cref="IpeDefinition"/> on save.</summary>
public sealed class IpeForm
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    public string Id { get; set; } = "";
    public string Title { get; set; } = "";
    public string Description { get; set; } = "";
    public string Control { get; set; } = "";
    public string Owner { get; set; } = "";
    public string GlAccounts { get; set; } = "";
    public string Database { get; set; } = "";
    /// <summary>The IPE's own Athena results location; empty means the configured one.</summary>
    public string OutputLocation { get; set; } = "";
    public string Sql { get; set; } = "";
    public List<ParameterRow> Parameters { get; set; } = [];
    public string RequiredColumns { get; set; } = "";
    public string KeyColumns { get; set; } = "";
    public string AmountColumns { get; set; } = "";
    public string DateColumn { get; set; } = "";
    public DateBound DateBound { get; set; }
    public string CompanyColumn { get; set; } = "";
    public string CompanyParameter { get; set; } = "";
    public string GlAccountColumn { get; set; } = "";
    public string ControlTotalQueries { get; set; } = "[]";
    public string WitnessRecords { get; set; } = "[]";
    public string TypicalRows { get; set; } = "";
    /// <summary>The reconciliation mapping as JSON; empty when the IPE supports no G/L account.</summary>
    public string Reconciliation { get; set; } = "";

    public sealed class ParameterRow
    {
        public string Name { get; set; } = "";
        public ParameterType Type { get; set; } = ParameterType.Text;
        public bool Required { get; set; } = true;
        public string Pattern { get; set; } = "";
        public string Default { get; set; } = "";
        public string Description { get; set; } = "";
    }

    public static IpeForm From(IpeDefinition d) => new()
    {
        Id = d.Id,
        Title = d.Title,
        Description = d.Description,
        Control = d.Control,
        Owner = d.Owner,
        GlAccounts = string.Join(", ", d.GlAccounts),
        Database = d.Database,
        OutputLocation = d.OutputLocation ?? "",
        Sql = d.Sql,
        Parameters = d.Parameters.Select(p => new ParameterRow
        {
            Name = p.Name,
            Type = p.Type,
            Required = p.Required,
            Pattern = p.Pattern ?? "",
            Default = p.Default ?? "",
            Description = p.Description ?? "",
        }).ToList(),
        RequiredColumns = string.Join(", ", d.Checks.RequiredColumns),
        KeyColumns = string.Join(", ", d.Checks.KeyColumns),
        AmountColumns = string.Join(", ", d.Checks.AmountColumns),
        DateColumn = d.Checks.DateColumn ?? "",
        DateBound = d.Checks.DateBound,
        CompanyColumn = d.Checks.CompanyColumn ?? "",
        CompanyParameter = d.Checks.CompanyParameter ?? "",
        GlAccountColumn = d.Checks.GlAccountColumn ?? "",
        ControlTotalQueries = JsonSerializer.Serialize(d.Checks.ControlTotalQueries, Json),
        WitnessRecords = JsonSerializer.Serialize(d.Checks.WitnessRecords, Json),
        TypicalRows = d.TypicalRows?.ToString(CultureInfo.InvariantCulture) ?? "",
        Reconciliation = d.Reconciliation is null ? "" : JsonSerializer.Serialize(d.Reconciliation, Json),
    };

    /// <summary>The definition, or the reasons the form cannot be read (bad JSON, a bad number).</summary>
    public (IpeDefinition? Definition, IReadOnlyList<string> Problems) ToDefinition()
    {
        var problems = new List<string>();
        var totals = Parse<List<ControlTotalQuery>>(ControlTotalQueries, "Control-total queries", problems);
        var witnesses = Parse<List<WitnessRecord>>(WitnessRecords, "Witness records", problems);
        var reconciliation = Parse<GlReconciliation>(Reconciliation, "Reconciliation to the G/L", problems);
        long? typical = null;
        if (!string.IsNullOrWhiteSpace(TypicalRows))
        {
            if (long.TryParse(TypicalRows.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n)) typical = n;
            else problems.Add("Typical rows must be a whole number.");
        }
        if (problems.Count > 0) return (null, problems);
        return (new IpeDefinition
        {
            Id = Id.Trim(),
            Title = Title.Trim(),
            Description = Description.Trim(),
            Control = Control.Trim(),
            Owner = Owner.Trim(),
            GlAccounts = List(GlAccounts),
            Database = Database.Trim(),
            OutputLocation = Blank(OutputLocation),
            Sql = Sql.ReplaceLineEndings("\n"),
            Parameters = Parameters.Where(p => !string.IsNullOrWhiteSpace(p.Name)).Select(p => new ParameterDefinition(
                p.Name.Trim(), p.Type, p.Required, Blank(p.Pattern), Blank(p.Default), Blank(p.Description))).ToList(),
            Checks = new CheckSettings
            {
                RequiredColumns = List(RequiredColumns),
                KeyColumns = List(KeyColumns),
                AmountColumns = List(AmountColumns),
                DateColumn = Blank(DateColumn),
                DateBound = DateBound,
                CompanyColumn = Blank(CompanyColumn),
                CompanyParameter = Blank(CompanyParameter),
                GlAccountColumn = Blank(GlAccountColumn),
                ControlTotalQueries = totals ?? [],
                WitnessRecords = witnesses ?? [],
            },
            TypicalRows = typical,
            Reconciliation = reconciliation,
        }, problems);
    }

    private static T? Parse<T>(string text, string what, List<string> problems) where T : class
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        try { return JsonSerializer.Deserialize<T>(text, Json); }
        catch (JsonException e) { problems.Add($"{what}: not valid JSON ({e.Message})"); return null; }
    }

    private static List<string> List(string text) =>
        text.Split([',', '\n'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
