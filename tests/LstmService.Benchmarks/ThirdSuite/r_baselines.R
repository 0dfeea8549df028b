#!/usr/bin/env Rscript
# The forecast suite's own script (../shared/datasets/forecast-suite/r_baselines.R), copied unchanged so that this suite's R
# figures come from the same protocol; its notes on taylor's two seasons concern that suite (no series here lists any).
# Classical baselines from R's forecast package on the series of this folder (manifest.json),
# with the protocol of bars/accuracy-heldout.py: fit ONCE on everything before the test region, then from every
# origin o in the test region forecast h steps from the true history y[1:o].
#   auto.arima : fitted once; per origin Arima(y[1:o], model = fit)  -> same orders and coefficients, Kalman
#                filter re-run over the longer history (NA handled natively by the Kalman filter).
#                For a series whose manifest entry lists seasonal_periods (taylor: 48 and 336), a seasonal ARIMA
#                with period 48 is out of reach on this machine (auto.arima ran > 30 min without finishing), so
#                it is dynamic harmonic regression, the forecast package's recipe for long seasons:
#                auto.arima(msts(y), xreg = fourier(y, K), seasonal = FALSE) with K chosen by AICc over a small
#                grid, then per origin Arima(y[1:o], model = fit, xreg = fourier(y[1:o], K)).
#   ets        : fitted once (on na.interp'ed training data); per origin ets(y[1:o], model = fit,
#                use.initial.values = TRUE) -> same model, smoothing parameters AND initial states, filter re-run.
#   theta      : thetaf() has no 'model' argument, so it is REFITTED at every origin (SES alpha and the seasonal
#                test/decomposition re-estimated on y[1:o]); the "fit" timing is the first origin's.
#   snaive, naive: no parameters.
# Missing values: ARIMA gets the raw history with NA; ets, theta, snaive and naive get na.interp(history).
# Metrics over all (origin, step) pairs whose truth is observed: RMSE, MAE, MASE = MAE / scale with
# scale = mean |y_t - y_{t-m}| over the training part (pairs with both observed; m = 1 for non-seasonal series),
# and cov80 = share of truths inside the 80% prediction interval (level = 80).
# Output: r_baselines.tsv beside this script. Usage: Rscript r_baselines.R [series ...]  (a subset run replaces
# those series' rows in an existing r_baselines.tsv)
suppressMessages(library(forecast))
args <- commandArgs(trailingOnly = FALSE)
here <- dirname(normalizePath(sub("^--file=", "", args[grep("^--file=", args)])))
only <- commandArgs(trailingOnly = TRUE)
dir <- here
man <- jsonlite::fromJSON(file.path(dir, "manifest.json"), simplifyVector = FALSE)
out <- file.path(here, "r_baselines.tsv")

interp <- function(y) if (anyNA(y)) na.interp(y) else y
rows <- list()
if (length(only) && file.exists(out)) {  # a subset run replaces those series' rows in the existing table
  old <- read.delim(out, stringsAsFactors = FALSE, check.names = FALSE)
  old <- old[!(old$series %in% only), ]
  rows <- split(old, seq_len(nrow(old)))
}
order_by <- sapply(man, `[[`, "name")
for (s in man) {
  if (length(only) && !(s$name %in% only)) next
  d <- read.csv(file.path(dir, s$file), colClasses = c("character", "numeric"))
  m <- s$m; h <- s$horizon; n <- nrow(d); ntr <- n - s$test
  y <- ts(d$value, frequency = m)
  ytr <- ts(d$value[1:ntr], frequency = m)
  dd <- abs(ytr[(m + 1):ntr] - ytr[1:(ntr - m)]); scale <- mean(dd, na.rm = TRUE)
  origins <- ntr:(n - h)
  t0 <- proc.time()[["elapsed"]]
  sp <- unlist(s$seasonal_periods); K <- NULL
  if (is.null(sp)) fa <- auto.arima(ytr) else {
    yms <- msts(d$value[1:ntr], seasonal.periods = sp); fa <- NULL
    for (k1 in c(8, 14, 20)) for (k2 in c(3, 6, 10)) {
      f <- auto.arima(yms, xreg = fourier(yms, K = c(k1, k2)), seasonal = FALSE)
      cat(sprintf("   fourier K=(%d,%d): %s AICc %.1f\n", k1, k2, as.character(f), f$aicc)); flush(stdout())
      if (is.null(fa) || f$aicc < fa$aicc) { fa <- f; K <- c(k1, k2) }
    }
  }
  ta <- proc.time()[["elapsed"]] - t0
  t0 <- proc.time()[["elapsed"]]
  fe <- suppressWarnings(ets(interp(ytr))); te <- proc.time()[["elapsed"]] - t0
  cat(sprintf("## %s n=%d train=%d m=%d h=%d origins=%d scale=%.5g | %s (%.1fs) | %s (%.1fs)\n", s$name, n, ntr, m, h,
              length(origins), scale, as.character(fa), ta, fe$method, te)); flush(stdout())
  meth <- c("auto.arima", "ets", "theta", "snaive", "naive")
  acc <- lapply(meth, function(.) list(e = c(), inside = c(), fail = 0, secs = 0))
  names(acc) <- meth
  for (o in origins) {
    yo <- ts(d$value[1:o], frequency = m); yi <- interp(yo)
    truth <- d$value[(o + 1):(o + h)]
    fcs <- list(
      auto.arima = function() if (is.null(K)) forecast(Arima(yo, model = fa), h = h, level = 80) else {
        ym <- msts(d$value[1:o], seasonal.periods = sp)
        forecast(Arima(ym, model = fa, xreg = fourier(ym, K = K)), xreg = fourier(ym, K = K, h = h), level = 80) },
      ets = function() forecast(ets(yi, model = fe, use.initial.values = TRUE), h = h, level = 80),
      theta = function() thetaf(yi, h = h, level = 80),
      snaive = function() snaive(yi, h = h, level = 80),
      naive = function() naive(yi, h = h, level = 80))
    for (k in meth) {
      t0 <- proc.time()[["elapsed"]]
      f <- tryCatch(suppressWarnings(fcs[[k]]()), error = function(e) { cat("  ", k, "origin", o, "failed:", conditionMessage(e), "\n"); NULL })
      acc[[k]]$secs <- acc[[k]]$secs + proc.time()[["elapsed"]] - t0
      if (is.null(f)) { acc[[k]]$fail <- acc[[k]]$fail + 1; next }
      ok <- !is.na(truth)
      acc[[k]]$e <- c(acc[[k]]$e, (truth - as.numeric(f$mean))[ok])
      acc[[k]]$inside <- c(acc[[k]]$inside, (truth >= as.numeric(f$lower[, 1]) & truth <= as.numeric(f$upper[, 1]))[ok])
    }
  }
  model <- c(auto.arima = paste0(as.character(fa), if (!is.null(K)) sprintf(" + fourier(%s) K=(%s)", paste(sp, collapse = ","), paste(K, collapse = ","))), ets = fe$method, theta = "thetaf (refit per origin)", snaive = "snaive", naive = "naive")
  fit_s <- c(auto.arima = ta, ets = te, theta = acc$theta$secs / length(origins), snaive = 0, naive = 0)
  for (k in meth) {
    e <- acc[[k]]$e
    r <- data.frame(series = s$name, m = m, h = h, test = s$test, origins = length(origins), points = length(e), method = k,
                    model = gsub("\t", " ", model[[k]]), rmse = sqrt(mean(e^2)), mae = mean(abs(e)), mase = mean(abs(e)) / scale,
                    cov80 = mean(acc[[k]]$inside), scale = scale, fit_s = fit_s[[k]], forecast_s = acc[[k]]$secs,
                    failures = acc[[k]]$fail, stringsAsFactors = FALSE)
    rows[[length(rows) + 1]] <- r
    cat(sprintf("   %-10s RMSE %11.5g  MASE %7.3f  cov80 %.2f  %s\n", k, r$rmse, r$mase, r$cov80, r$model))
  }
  flush(stdout())
  tab <- do.call(rbind, rows); tab <- tab[order(match(tab$series, order_by)), ]
  num <- sapply(tab, is.numeric); tab[num] <- lapply(tab[num], signif, 7)
  write.table(tab, out, sep = "\t", quote = FALSE, row.names = FALSE)
}
cat("wrote", out, "\n")
