# LSTM forecasting service: multi-stage build.
#   docker build -t lstm-service .
#   docker run -p 8080:8080 -v lstm-data:/data lstm-service      # Swagger UI: http://localhost:8080/swagger
# Configuration is by environment variables (Section__Key=value, e.g. -e Storage__DataDirectory=/data);
# see the configuration table in README.md and deploy/ for compose and Kubernetes.
# On a network, give it API keys (their SHA-256 hashes, from the environment or a secret, never baked into the image)
# and the host names it answers to (AllowedHosts; any other Host header gets 400, which stops DNS rebinding):
#   docker run -p 8080:8080 -v lstm-data:/data -e AllowedHosts='localhost;127.0.0.1' \
#     -e Auth__ApiKeys__0__Role=write -e Auth__ApiKeys__0__Sha256="$(printf %s "$KEY" | sha256sum | cut -d' ' -f1)" lstm-service
# Without keys the service runs open and says so in its log at start.

# ---------- build ----------
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src

# Restore layer: only the files that decide the package graph, so editing sources does not re-download packages.
# --use-current-runtime (the build stage's own linux RID, i.e. the target platform's) keeps only that
# platform's native SQLite library in the output instead of ~30 platforms' worth (~65 MB).
COPY Directory.Build.props Directory.Packages.props ./
COPY src/LstmService.Kernels/LstmService.Kernels.csproj src/LstmService.Kernels/
COPY src/LstmService.Forecasting/LstmService.Forecasting.csproj src/LstmService.Forecasting/
COPY src/LstmService/LstmService.csproj src/LstmService/
RUN dotnet restore src/LstmService/LstmService.csproj --use-current-runtime

# Sources, then a framework-dependent publish (no self-contained runtime, no native host).
COPY src/ src/
RUN dotnet publish src/LstmService/LstmService.csproj -c Release -o /app --no-restore \
        --use-current-runtime --self-contained false -p:UseAppHost=false

# ---------- runtime ----------
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app

# The data directory (SQLite registry, model weights) lives in a volume owned by the non-root user
# `app` (uid 1654) that the official .NET images define. Created before VOLUME so the ownership sticks.
RUN mkdir -p /data && chown app:app /data

COPY --from=build /app ./

# Every setting of appsettings.json can be overridden the same way (Section__Key).
# DOTNET_MaxVectorTBitWidth=512 lets Vector<float> use AVX-512 where the CPU has it (the kernels run 1.2-1.8x
# faster on the AMD EPYC they were tuned on); on CPUs without AVX-512 it changes nothing. Set it to 256 on CPUs
# that slow their clock for 512-bit instructions (some older Intel Xeons).
ENV ASPNETCORE_HTTP_PORTS=8080 \
    Storage__DataDirectory=/data \
    DOTNET_MaxVectorTBitWidth=512

USER app
VOLUME /data
EXPOSE 8080

# On SIGTERM the host stops: no new requests or jobs, a running training job is cancelled and re-queued
# (it runs again after restart), within Shutdown__TimeoutSeconds (default 25 s), below the 30 s grace period
# that deploy/ gives before SIGKILL (plain docker waits only 10 s: use docker stop -t 30).
# No HEALTHCHECK: the image carries no curl/wget; the orchestrator probes /health/live and /health/ready.
STOPSIGNAL SIGTERM

ENTRYPOINT ["dotnet", "LstmService.dll"]
