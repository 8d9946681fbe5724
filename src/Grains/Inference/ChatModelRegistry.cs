using Microsoft.Extensions.Options;
using Vectros.Grains.Abstractions.Inference;

namespace Vectros.Grains.Inference;

/// <summary>Builds the <see cref="IChatModel"/> for one backend; one factory per <see cref="ChatModelBackend"/>.</summary>
public interface IChatModelFactory
{
    ChatModelBackend Backend { get; }

    IChatModel Create(ChatModelEntry entry);
}

/// <summary>
/// The configured models, built once at start-up from <see cref="InferenceOptions"/>: the local answerer first, then
/// <see cref="InferenceOptions.Models"/> in configuration order. A backend with no registered factory fails start-up.
/// </summary>
public sealed class ChatModelRegistry : IChatModelRegistry
{
    private readonly Dictionary<string, IChatModel> _models = new(StringComparer.Ordinal);

    public ChatModelRegistry(IOptions<InferenceOptions> options, IEnumerable<IChatModelFactory> factories)
    {
        var byBackend = factories.ToDictionary(factory => factory.Backend);
        var settings = options.Value;
        var entries = new List<ChatModelEntry> { settings.LocalModel };
        entries.AddRange(settings.Models);
        var descriptors = new List<ModelDescriptor>();
        foreach (var entry in entries)
        {
            if (!byBackend.TryGetValue(entry.Backend, out var factory))
            {
                throw new OptionsValidationException(InferenceOptions.Section, typeof(InferenceOptions),
                    [$"Model '{entry.Id}': no provider serves the backend {entry.Backend}."]);
            }

            _models[entry.Id] = factory.Create(entry);
            descriptors.Add(entry.Describe());
        }

        Catalog = new ModelCatalog(descriptors, settings.DefaultModel ?? ExtractiveAnswerer.ModelId);
    }

    public ModelCatalog Catalog { get; }

    public IChatModel? Find(string modelId) => _models.GetValueOrDefault(modelId);
}

/// <summary>Serves <see cref="ExtractiveAnswerer"/> for <see cref="ChatModelBackend.Extractive"/> entries.</summary>
public sealed class ExtractiveAnswererFactory : IChatModelFactory
{
    public ChatModelBackend Backend => ChatModelBackend.Extractive;

    public IChatModel Create(ChatModelEntry entry) => new ExtractiveAnswerer(entry.Id);
}
