using Vectros.Grains.Abstractions.Metering;
using M = Vectros.Grains.Abstractions.Metering.UsageMetricNames;

namespace Vectros.ApiFrontend.Contracts;

/// <summary>
/// Lays out <see cref="UsageReportData"/> as the spec's report. Every figure is a sum of the same per-context lines
/// (amount and milli-credits), so account = live + test = the sum of the contexts, exactly, in every *Milli field.
/// Storage, read-access and read-overage figures are 0: they are not metered yet (README "Usage and billing").
/// </summary>
public static class UsageReportBuilder
{
    private static readonly string[] _endpoints = ["chat", "rag", "ask"];

    public static UsageReportResponse Build(UsageReportData data, string? contextFilter)
    {
        var all = new Tally(data.Tenants.SelectMany(t => t.Lines));
        var live = data.Tenants.FirstOrDefault(t => t.Environment == "live");
        var test = data.Tenants.FirstOrDefault(t => t.Environment == "test");
        var contexts = data.Tenants
            .SelectMany(t => t.Lines.GroupBy(l => l.ContextId, StringComparer.Ordinal).Select(g => (Tenant: t, ContextId: g.Key, Lines: g.ToList())))
            .Where(c => contextFilter is null || c.ContextId == contextFilter)
            .OrderBy(c => c.Tenant.Environment, StringComparer.Ordinal).ThenBy(c => c.ContextId, StringComparer.Ordinal)
            .Select(c =>
            {
                var tally = new Tally(c.Lines);
                return new ContextDetail(c.ContextId, c.Tenant.TenantId, c.Tenant.Environment, tally.TenantCredits(), tally.Search(),
                    tally.Documents(), tally.Records(), tally.TenantInference());
            })
            .ToList();

        long? remaining = data.LimitCredits is { } limit ? Math.Max(0, (limit * 1000 - data.CallerEnvironmentUsedMilli) / 1000) : null;
        return new UsageReportResponse(
            data.Period,
            new Credits(all.UsedMilli / 1000, all.UsedMilli, data.LimitCredits, remaining, all.Breakdown()),
            all.Search(),
            all.Documents(),
            all.Records(),
            new ReadAccessSection(StorageEntry.Zero, 0, 0),
            all.Identity(),
            new InferenceSection(data.BalanceCents, all.Endpoints(), all.InferenceTotals()),
            new ReadsSection(new ReadCalls(0, null, 0, 0, 0), new DataOut(0, null, 0, 0, 0)),
            new Tenants(Detail(live), Detail(test)),
            contexts);
    }

    private static TenantDetail? Detail(TenantUsage? tenant)
    {
        if (tenant is null)
        {
            return null;
        }

        var tally = new Tally(tenant.Lines);
        return new TenantDetail(tenant.TenantId, tally.TenantCredits(), tally.Search(), tally.Documents(), tally.Records(), tally.TenantInference());
    }

    private sealed class Tally
    {
        private readonly Dictionary<string, (long Amount, long Milli)> _sums = new(StringComparer.Ordinal);

        public Tally(IEnumerable<UsageLine> lines)
        {
            foreach (var line in lines)
            {
                var (amount, milli) = _sums.GetValueOrDefault(line.Metric);
                _sums[line.Metric] = (amount + line.Amount, milli + line.Milli);
            }

            UsedMilli = _sums.Values.Sum(s => s.Milli);
        }

        public long UsedMilli { get; }

        private long Amount(string metric) => _sums.GetValueOrDefault(metric).Amount;

        private long Milli(params string[] metrics) => metrics.Sum(m => _sums.GetValueOrDefault(m).Milli);

        private CountAndCredits Count(string metric) => new(Amount(metric), Milli(metric) / 1000, Milli(metric));

        public TenantCredits TenantCredits() => new(UsedMilli / 1000, UsedMilli);

        public CreditBreakdown Breakdown()
        {
            var search = Milli(M.SearchText, M.SearchSemantic, M.SearchHybrid);
            var ingest = Milli(M.DocumentIngestBytes);
            var documents = Milli(M.DocumentTextIngests, M.DocumentFileIngests, M.DocumentWrites);
            var records = Milli(M.RecordWrites, M.RecordIndexCount);
            var identity = Milli(M.IdentityUserWrites, M.IdentityEntityWrites);
            var inference = Milli(M.PlatformCreditsMilli);
            return new CreditBreakdown
            {
                SearchQueries = search / 1000, SearchQueriesMilli = search,
                SearchIngest = ingest / 1000, SearchIngestMilli = ingest,
                Documents = documents / 1000, DocumentsMilli = documents,
                Records = records / 1000, RecordsMilli = records,
                Identity = identity / 1000, IdentityMilli = identity,
                Inference = inference / 1000, InferenceMilli = inference,
            };
        }

        public SearchSection Search()
        {
            // Ingests are not tracked by index mode: the per-KB charge is reported under hybrid (the default mode).
            var none = new IngestEntry(0, 0, 0, 0);
            var ingestMilli = Milli(M.DocumentIngestBytes);
            var ingested = new IngestEntry(Amount(M.DocumentTextIngests) + Amount(M.DocumentFileIngests), Amount(M.DocumentIngestBytes),
                ingestMilli / 1000, ingestMilli);
            var storage = new StorageBytesSearch(StorageEntry.Zero, StorageEntry.Zero, StorageEntry.Zero, StorageEntry.Zero);
            return new SearchSection(new QueryCounts(Count(M.SearchText), Count(M.SearchSemantic), Count(M.SearchHybrid)),
                new IngestCounts(none, none, ingested, none), storage);
        }

        public DocumentsSection Documents()
        {
            var writes = Milli(M.DocumentWrites);
            return new DocumentsSection(
                new DocumentIngest(Count(M.DocumentTextIngests), Count(M.DocumentFileIngests)),
                new DocumentStorage(StorageEntry.Zero, StorageEntry.Zero),
                new Downloads(0, 0),
                new WriteStats(Amount(M.DocumentWrites), 0, writes / 1000, writes),
                StorageEntry.Zero);
        }

        public RecordsSection Records()
        {
            var milli = Milli(M.RecordWrites, M.RecordIndexCount);
            return new RecordsSection(new WriteStats(Amount(M.RecordWrites), Amount(M.RecordIndexCount), milli / 1000, milli),
                StorageEntry.Zero, StorageEntry.Zero, StorageEntry.Zero);
        }

        public IdentitySection Identity()
        {
            var users = Surface(Amount(M.IdentityUserWrites), Milli(M.IdentityUserWrites));
            var entities = Surface(Amount(M.IdentityEntityWrites), Milli(M.IdentityEntityWrites));
            return new IdentitySection(users, NamespaceSurface("org"), NamespaceSurface("client"), entities);
        }

        /// <summary>A 0.31 org/client line: that namespace's share of the entity writes, priced like them.</summary>
        private IdentitySurface NamespaceSurface(string ns)
        {
            var count = Amount(M.IdentityNamespaceWrites(ns));
            var total = Amount(M.IdentityEntityWrites);
            var milli = total == 0 ? 0 : Milli(M.IdentityEntityWrites) * count / total;
            return Surface(count, milli);
        }

        private static IdentitySurface Surface(long count, long milli) =>
            new(new WriteStats(count, 0, milli / 1000, milli), StorageEntry.Zero);

        public InferenceEndpoints Endpoints()
        {
            var stats = _endpoints.Select(Stats).ToArray();
            return new InferenceEndpoints(stats[0], stats[1], stats[2]);
        }

        public InferenceCallStats InferenceTotals()
        {
            var stats = _endpoints.Select(Stats).ToArray();
            return new InferenceCallStats(stats.Sum(s => s.Calls), stats.Sum(s => s.InputTokens), stats.Sum(s => s.OutputTokens));
        }

        public TenantInferenceSection TenantInference() => new(Endpoints(), InferenceTotals());

        private InferenceCallStats Stats(string endpoint) => new(
            Amount(M.Inference(endpoint, "calls")), Amount(M.Inference(endpoint, "inputTokens")), Amount(M.Inference(endpoint, "outputTokens")));
    }
}
