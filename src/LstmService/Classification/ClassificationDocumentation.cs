namespace LstmService.Classification;

/// <summary>The classify endpoint's OpenAPI texts and examples.</summary>
internal static class ClassificationDocumentation
{
    public const string Description =
        "Classifies each sequence with ?version=N, ?alias=A or (by default) the newest available version of a model trained with " +
        "task classification. Sequences may differ in length (equal lengths share a network pass; nothing is padded, so a " +
        "sequence's answer does not depend on the others in the request). A model trained with covariates needs each sequence's " +
        "`covariates` (as long as its values). Answers every class's probability and the most probable label per sequence; 400 " +
        "naming every bad field, or for a forecasting version (use /forecast); 404 for an unknown model, version or alias; 409 " +
        "when the version's weights file is missing or altered.";

    /// <summary>Two quarterly-ish windows of temperatures, as the README's classification example trains on.</summary>
    public const string Example = """
        {
          "sequences": [
            { "id": "spring", "values": [39.4, 40.9, 42.4, 47.8, 52.4] },
            { "id": "autumn", "values": [61.2, 59.3, 53.6, 46.4] }
          ]
        }
        """;

    public const string ResponseExample = """
        {
          "model": "quarters", "version": 1, "classes": ["Q1", "Q2", "Q3", "Q4"],
          "results": [
            { "id": "spring", "label": "Q2", "probabilities": { "Q1": 0.021, "Q2": 0.962, "Q3": 0.011, "Q4": 0.006 } },
            { "id": "autumn", "label": "Q4", "probabilities": { "Q1": 0.004, "Q2": 0.002, "Q3": 0.131, "Q4": 0.863 } }
          ]
        }
        """;
}
