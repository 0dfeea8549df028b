#!/usr/bin/env Rscript
# R's forecast package on the covariate suite (manifest.json beside this script), with the protocol of the forecast suite's
# r_baselines.R: fit once on everything before the test region, then from every origin o in the test region forecast h steps
# from the true history y[1:o] (the model's coefficients kept, its filter re-run).
#   arima.xreg : auto.arima(y, xreg = the covariates known in advance) (regression with ARIMA errors); per origin
#                Arima(y[1:o], model = fit, xreg = X[1:o, ]) and the covariates' true future as newxreg. Absent for a series
#                without such covariates (a covariate known only up to the origin has no future to give R).
#   auto.arima, ets : the series alone, as in the forecast suite.
# Metrics: MASE (MAE over the training part's mean |y_t - y_{t-m}|) and cov80 (share of truths inside the 80% interval).
# A manifest entry with "r_baseline": false is skipped (a series too long for R's seasonal ARIMA).
# Output: r_baselines.tsv beside the manifest. Usage: Rscript r_baselines.R [DIR]  (DIR: another suite's folder of manifest.json)
suppressMessages(library(forecast))
args <- commandArgs(trailingOnly = FALSE)
here <- dirname(normalizePath(sub("^--file=", "", args[grep("^--file=", args)])))
if (length(commandArgs(trailingOnly = TRUE))) here <- normalizePath(commandArgs(trailingOnly = TRUE)[1])
man <- jsonlite::fromJSON(file.path(here, "manifest.json"), simplifyVector = FALSE)
interp <- function(y) if (anyNA(y)) na.interp(y) else y
rows <- list()
for (s in man) {
  if (identical(s$r_baseline, FALSE)) next
  d <- read.csv(file.path(here, s$file))
  m <- s$m; h <- s$horizon; n <- nrow(d); ntr <- n - s$test
  known <- unlist(s$future)
  ytr <- ts(d$value[1:ntr], frequency = m)
  dd <- abs(ytr[(m + 1):ntr] - ytr[1:(ntr - m)]); scale <- mean(dd, na.rm = TRUE)
  X <- if (length(known)) as.matrix(d[, known, drop = FALSE]) else NULL
  fx <- if (is.null(X)) NULL else auto.arima(ytr, xreg = X[1:ntr, , drop = FALSE])
  fa <- auto.arima(ytr)
  fe <- suppressWarnings(ets(interp(ytr)))
  fcs <- list(
    arima.xreg = if (is.null(fx)) NULL else function(o, yo) forecast(Arima(yo, model = fx, xreg = X[1:o, , drop = FALSE]),
      xreg = X[(o + 1):(o + h), , drop = FALSE], level = 80),
    auto.arima = function(o, yo) forecast(Arima(yo, model = fa), h = h, level = 80),
    ets = function(o, yo) forecast(ets(interp(yo), model = fe, use.initial.values = TRUE), h = h, level = 80))
  fcs <- fcs[!sapply(fcs, is.null)]
  cat(sprintf("## %s n=%d train=%d m=%d h=%d | %s | %s | %s\n", s$name, n, ntr, m, h,
              if (is.null(fx)) "-" else as.character(fx), as.character(fa), fe$method))
  for (k in names(fcs)) {
    e <- c(); inside <- c()
    for (o in ntr:(n - h)) {
      yo <- ts(d$value[1:o], frequency = m)
      truth <- d$value[(o + 1):(o + h)]
      f <- suppressWarnings(fcs[[k]](o, yo))
      ok <- !is.na(truth)
      e <- c(e, (truth - as.numeric(f$mean))[ok])
      inside <- c(inside, (truth >= as.numeric(f$lower[, 1]) & truth <= as.numeric(f$upper[, 1]))[ok])
    }
    model <- switch(k, arima.xreg = as.character(fx), auto.arima = as.character(fa), ets = fe$method)
    rows[[length(rows) + 1]] <- data.frame(series = s$name, method = k, model = model, mase = signif(mean(abs(e)) / scale, 7),
                                           cov80 = signif(mean(inside), 7), points = length(e))
    cat(sprintf("   %-10s MASE %7.3f  cov80 %.2f  %s\n", k, mean(abs(e)) / scale, mean(inside), model))
  }
}
write.table(do.call(rbind, rows), file.path(here, "r_baselines.tsv"), sep = "\t", quote = FALSE, row.names = FALSE)
cat("wrote", file.path(here, "r_baselines.tsv"), "\n")
