# Loads a version's state_dict export into torch.nn.LSTM (or nn.GRU) + nn.Linear and reproduces the service's forecast of a history.
# Needs only PyTorch (Debian: apt-get install python3-torch). For a version trained with "statistics": false: the
# classical members a default version mixes in (exponential smoothing, theta, autoregression) are not in the export.
import json, os, urllib.request
import torch

URL = os.environ.get("LSTM_URL", "http://localhost:8080")
MODEL = os.environ.get("LSTM_MODEL", "torch-demo")

def call(path, body=None):
    request = urllib.request.Request(URL + path, None if body is None else json.dumps(body).encode(), {"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        return json.load(response)

state = call(f"/models/{MODEL}/versions/1/weights?format=torch")
settings = state.pop("_forecast")  # the forecast settings; every other key is a tensor {"shape": [...], "data": [...]}
tensors = {name: torch.tensor(t["data"]).reshape(t["shape"]) for name, t in state.items()}

# One LSTM or GRU (the tensors' prefix says which; an ensemble is exported merged: block-diagonal weights, a head that
# averages the members) and its head.
cell = "gru" if "gru.weight_ih_l0" in tensors else "lstm"
inputs, hidden = tensors[f"{cell}.weight_ih_l0"].shape[1], tensors[f"{cell}.weight_hh_l0"].shape[1]
layers = sum(name.startswith(f"{cell}.weight_ih_l") for name in tensors)
rnn = (torch.nn.GRU if cell == "gru" else torch.nn.LSTM)(inputs, hidden, layers, batch_first=True)
head = torch.nn.Linear(hidden, tensors["head.bias"].shape[0])
rnn.load_state_dict({name[len(cell) + 1:]: t for name, t in tensors.items() if name.startswith(cell + ".")})
head.load_state_dict({name[5:]: t for name, t in tensors.items() if name.startswith("head.")})

# The yearly sunspot numbers 1969-2008 (at least the version's inputWindow values).
history = [105.5, 104.5, 66.6, 68.9, 38.0, 34.5, 15.5, 12.6, 27.5, 92.5, 155.4, 154.6, 140.4, 115.9, 66.6, 45.9, 17.9, 13.4,
           29.4, 100.2, 157.6, 142.6, 145.7, 94.3, 54.6, 29.9, 17.5, 8.6, 21.5, 64.3, 93.3, 119.6, 111.0, 104.0, 63.7, 40.4,
           29.8, 15.2, 7.5, 2.9]
w, h = settings["inputWindow"], settings["horizon"]
assert settings["scaling"] == "windowLevel" and settings["strategy"] == "direct"
x = torch.tensor(history)
if settings["transform"] == "log":
    x = x.log()
# windowLevel scaling: the window less its last value, in units of the history's mean absolute step.
level = x[-1]
scale = max((x[1:] - x[:-1]).abs().mean(), 1e-4 * x.abs().max() if x.abs().max() > 0 else 1e-6)
window = (x[-w:] - level) / scale

with torch.no_grad():
    out, _ = rnn(window.reshape(1, w, 1))
    y = head(out[:, -1])[0] * settings["correctionScale"]  # [(1 + quantiles) x horizon]: the mean, then each quantile
    blocks = y.reshape(-1, h)
    if "highway.weight" in tensors:  # the linear highway on the same window, added to every block
        blocks += tensors["highway.weight"] @ window + tensors["highway.bias"]
    if "calibration" in tensors:  # conformal offsets of the quantile blocks
        blocks[1:] += tensors["calibration"]
    forecast = level + scale * blocks
    if settings["transform"] == "log":
        forecast = forecast.exp()
    recent = history[-w:]  # chosen from the data, the clamp leaves a window with negative values unclamped
    if settings.get("nonNegativeDeclared") or (settings["nonNegative"] and min(recent) >= -1e-6 * max(map(abs, recent))):
        forecast = forecast.clamp(min=0)
if settings.get("upperBound") is not None:  # asked for in training: every forecast is clamped from above
    forecast = forecast.clamp(max=settings["upperBound"])

ours = forecast[0].tolist()
served = call(f"/models/{MODEL}/forecast", {"series": [{"history": history}]})["forecasts"][0]["mean"]
print("torch  :", [round(v, 2) for v in ours])
print("service:", [round(v, 2) for v in served])
difference = max(abs(a - b) for a, b in zip(ours, served))
print(f"largest difference {difference:.2g}")
assert difference <= 1e-3 * max(1.0, max(abs(v) for v in served)), "the forecasts differ"
