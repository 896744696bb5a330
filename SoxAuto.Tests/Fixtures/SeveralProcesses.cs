namespace SoxAuto.Tests.Fixtures;

/// <summary>Tests that start many processes at once (headless runs beside the web app) and load both cores
/// for minutes run alone, so that they neither starve other tests' waits nor are starved by them.</summary>
[CollectionDefinition(nameof(SeveralProcesses), DisableParallelization = true)]
public sealed class SeveralProcesses;
