using LstmService.Registry;

namespace LstmService.Training;

/// <summary>Told by the worker when a job stored its version (e.g. the drift monitor reviewing a challenger); Training knows no observer's feature.</summary>
public interface ITrainedVersionObserver
{
    /// <summary>Runs on the worker after the version is stored; an exception is logged, the job stays succeeded.</summary>
    void Trained(Guid job, VersionRecord version);
}
