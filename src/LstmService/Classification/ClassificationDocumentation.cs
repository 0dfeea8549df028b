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
        "when the version's weights file is missing or altered. A fresh service holds no classifier: train one first with " +
        "POST /models/{name}/training-jobs, a body of \"task\": \"classification\" and labelled series ({\"id\", \"values\", \"label\"}, two " +
        "classes at least). The example below is the README's \"sunspot-phase\" (Sequence classification), trained on windows of the bundled sunspot numbers.";

    /// <summary>Windows of the bundled yearly sunspot numbers, for the README's "sunspot-phase" classifier (will next year be higher?).</summary>
    public const string Example = """
        {
          "sequences": [
            { "id": "1999-2008", "values": [93.3, 119.6, 111.0, 104.0, 63.7, 40.4, 29.8, 15.2, 7.5, 2.9] },
            { "id": "1989-1996", "values": [157.6, 142.6, 145.7, 94.3, 54.6, 29.9, 17.5, 8.6] },
            { "id": "1993-2000", "values": [54.6, 29.9, 17.5, 8.6, 21.5, 64.3, 93.3, 119.6] }
          ]
        }
        """;

    /// <summary>The README's "sunspot-phase" version 1 answering <see cref="Example"/> (measured; all three right: 2009, 1997 up, 2001 down).</summary>
    public const string ResponseExample = """
        {
          "model": "sunspot-phase", "version": 1, "classes": ["down", "up"],
          "results": [
            { "id": "1999-2008", "label": "up", "probabilities": { "down": 0.054418843, "up": 0.94558114 } },
            { "id": "1989-1996", "label": "up", "probabilities": { "down": 0.24695002, "up": 0.75304997 } },
            { "id": "1993-2000", "label": "down", "probabilities": { "down": 0.9878856, "up": 0.012114428 } }
          ]
        }
        """;
}
