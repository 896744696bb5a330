using System.Reflection;
using Mono.Cecil;
using Mono.Cecil.Cil;
using NetArchTest.Rules;
using SoxAuto.Core;
using SoxAuto.Core.Evidence;

namespace SoxAuto.Tests.Architecture;

/// <summary>
/// The layering of shared/design/ARCHITECTURE.md, read from the compiled assemblies. Engines produce a
/// result in the extract format (Core/Extract); Evidence and Checks consume it; Runs are the one place
/// that knows an engine, the evidence pass and the database together; pages call Core services.
/// </summary>
public sealed class LayeringTests
{
    private static readonly Assembly Core = typeof(EvidenceWriter).Assembly;
    private static readonly Assembly Web = typeof(SoxAuto.Web.WebRegistration).Assembly;

    private const string Engines = "SoxAuto.Core.Engines", Evidence = "SoxAuto.Core.Evidence", Checks = "SoxAuto.Core.Checks",
        Runs = "SoxAuto.Core.Runs", Extract = "SoxAuto.Core.Extract", Components = "SoxAuto.Web.Components",
        Reconciliations = "SoxAuto.Core.Reconciliations";

    [Fact]
    public void Core_uses_nothing_of_ASP_NET_so_the_headless_verbs_run_it_without_a_web_server()
        => AssertKept(Types.InAssembly(Core).ShouldNot().HaveDependencyOn("Microsoft.AspNetCore").GetResult());

    [Fact]
    public void Engines_know_nothing_of_Runs_Evidence_or_Checks_they_only_deliver_the_extract_format()
        => AssertKept(Types.InAssembly(Core).That().ResideInNamespace(Engines)
            .ShouldNot().HaveDependencyOnAny(Runs, Evidence, Checks).GetResult());

    [Fact]
    public void Evidence_and_Checks_know_no_engine_only_the_extract_format()
        => AssertKept(Types.InAssembly(Core).That().ResideInNamespace(Evidence).Or().ResideInNamespace(Checks)
            .ShouldNot().HaveDependencyOn(Engines).GetResult());

    [Fact]
    public void The_evidence_store_keeps_files_by_key_and_knows_no_run_engine_check_or_reader()
        => AssertKept(Types.InAssembly(Core).That().ResideInNamespace(Evidence + ".Store")
            .ShouldNot().HaveDependencyOnAny(Runs, Engines, Checks, Reconciliations, "SoxAuto.Core.Packages", "SoxAuto.Core.Review").GetResult());

    [Fact]
    public void The_extract_format_depends_on_no_other_part_of_SoxAuto()
        => AssertKept(Types.InAssembly(Core).That().ResideInNamespace(Extract)
            .ShouldNot().HaveDependencyOnAny(EverythingInCoreBut(Extract)).GetResult());

    [Fact]
    public void Only_Runs_know_an_engine_and_the_evidence_pass_together()
        => AssertKept(Types.InAssembly(Core).That().HaveDependencyOn(Engines).And().HaveDependencyOn(Evidence)
            .And().DoNotHaveName(nameof(SoxAutoCoreRegistration)) // where both are registered
            .Should().ResideInNamespace(Runs).GetResult());

    [Fact]
    public void Review_and_evidence_packages_know_no_engine_they_read_what_a_run_recorded()
        => AssertKept(Types.InAssembly(Core).That().ResideInNamespace("SoxAuto.Core.Review").Or().ResideInNamespace("SoxAuto.Core.Packages")
            .ShouldNot().HaveDependencyOn(Engines).GetResult());

    [Fact]
    public void Reconciliations_know_no_engine_they_read_the_stored_extracts_of_succeeded_runs()
        => AssertKept(Types.InAssembly(Core).That().ResideInNamespace(Reconciliations)
            .ShouldNot().HaveDependencyOn(Engines).GetResult());

    [Fact]
    public void Auditor_procedures_know_no_engine_and_no_executor_they_request_runs_and_read_stored_extracts()
        => AssertKept(Types.InAssembly(Core).That().ResideInNamespace("SoxAuto.Core.Procedures")
            .ShouldNot().HaveDependencyOnAny(Engines, $"{Runs}.{nameof(SoxAuto.Core.Runs.RunExecutor)}", $"{Runs}.{nameof(SoxAuto.Core.Runs.RunQueue)}").GetResult());

    [Fact]
    public void Batches_and_schedules_know_no_engine_and_no_executor_they_request_runs_through_the_run_service()
        => AssertKept(Types.InAssembly(Core).That().ResideInNamespace("SoxAuto.Core.Batches").Or().ResideInNamespace("SoxAuto.Core.Schedules")
            .ShouldNot().HaveDependencyOnAny(Engines, Evidence, Checks, $"{Runs}.{nameof(SoxAuto.Core.Runs.RunExecutor)}",
                $"{Reconciliations}.{nameof(SoxAuto.Core.Reconciliations.ReconciliationExecutor)}", $"{Runs}.{nameof(SoxAuto.Core.Runs.RunQueue)}").GetResult());

    [Fact]
    public void The_audit_trail_knows_no_engine_evidence_check_or_access_review_everything_else_records_into_it()
        => AssertKept(Types.InAssembly(Core).That().ResideInNamespace("SoxAuto.Core.Audit")
            .ShouldNot().HaveDependencyOnAny(Engines, Evidence, Checks, "SoxAuto.Core.Access").GetResult());

    [Fact]
    public void Pages_and_components_never_reference_an_engine_type_they_call_Core_services()
        => AssertKept(Types.InAssembly(Web).That().ResideInNamespace(Components)
            .ShouldNot().HaveDependencyOn(Engines).GetResult());

    [Fact]
    public void Pages_and_components_may_read_through_the_DbContext_but_write_only_through_Core_services()
        => AssertKept(Types.InAssembly(Web).That().ResideInNamespace(Components)
            .Should().MeetCustomRule(new WritesNothingThroughEfCore()).GetResult());

    private static void AssertKept(TestResult result)
        => Assert.True(result.IsSuccessful, "Broken by: " + string.Join(", ", result.FailingTypeNames ?? []));

    /// <summary>Every namespace of Core except <paramref name="allowed"/>, and the types of the root namespace.</summary>
    private static string[] EverythingInCoreBut(string allowed) => Core.GetTypes()
        .Where(t => t.Namespace is not null && !t.IsNested)
        .Select(t => t.Namespace == "SoxAuto.Core" ? t.FullName! : t.Namespace!)
        .Where(n => n.StartsWith("SoxAuto.Core", StringComparison.Ordinal) && !n.StartsWith(allowed, StringComparison.Ordinal))
        .Distinct().ToArray();

    /// <summary>A type (with its lambdas and async state machines) that calls no EF Core method that
    /// writes: SaveChanges, ExecuteUpdate, ExecuteDelete or ExecuteSql. Reading is allowed.</summary>
    private sealed class WritesNothingThroughEfCore : ICustomRule
    {
        private static readonly string[] Writes = ["SaveChanges", "ExecuteUpdate", "ExecuteDelete", "ExecuteSql"];

        public bool MeetsRule(TypeDefinition type) => !WritesThroughEfCore(type);

        private static bool WritesThroughEfCore(TypeDefinition type) =>
            type.NestedTypes.Any(WritesThroughEfCore)
            || type.Methods.Where(m => m.HasBody).SelectMany(m => m.Body.Instructions).Any(i =>
                i.OpCode.Code is Code.Call or Code.Callvirt or Code.Ldftn or Code.Ldvirtftn
                && i.Operand is MethodReference called
                && (called.DeclaringType.Namespace ?? "").StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal)
                && Writes.Any(w => called.Name.StartsWith(w, StringComparison.Ordinal)));
    }
}
