namespace LstmService.Registry;

/// <summary>How a version came to be.</summary>
public enum VersionSource
{
    /// <summary>Trained by a training job of this service.</summary>
    Trained,
    /// <summary>Registered from a state_dict (for example exported from PyTorch).</summary>
    Imported,
}
