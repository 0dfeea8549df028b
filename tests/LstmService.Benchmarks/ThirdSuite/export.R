#!/usr/bin/env Rscript
# A third suite of real series for issue 10's target 5: a fixed random sample of the M3 competition's series (Makridakis &
# Hibon 2000: 3,003 yearly, quarterly, monthly and other series of micro- and macro-economics, industry, finance and
# demography), taken from R package Mcomp's data before any was forecast: 15 yearly, 15 quarterly, 24 monthly and 6 other,
# each long enough for a training part of three horizons before a test region of two (M3's horizons: 6, 8, 18, 8). Each
# series is the competition's history and its held-out future joined. Writes beside this script one CSV per series
# (t, value) and manifest.json in the forecast suite's format, so the same commands run on it.
# Usage: git clone https://github.com/robjhyndman/Mcomp /tmp/Mcomp && Rscript export.R /tmp/Mcomp/data/M3.rda
args <- commandArgs(trailingOnly = FALSE)
here <- dirname(normalizePath(sub("^--file=", "", args[grep("^--file=", args)])))
e <- new.env(); load(commandArgs(trailingOnly = TRUE)[1], envir = e); M3 <- e[["M3"]]
plan <- list(YEARLY = list(count = 15, m = 1, h = 6), QUARTERLY = list(count = 15, m = 4, h = 8),
             MONTHLY = list(count = 24, m = 12, h = 18), OTHER = list(count = 6, m = 1, h = 8))
num <- function(x) ifelse(is.na(x), "", format(as.numeric(x), digits = 15, trim = TRUE, scientific = FALSE))
set.seed(20261201)
man <- list()
for (period in names(plan)) {
  p <- plan[[period]]
  ok <- Filter(function(s) s$period == period && length(s$x) + length(s$xx) >= 5 * p$h, M3)
  for (s in ok[sort(sample(length(ok), p$count))]) {
    x <- c(as.numeric(s$x), as.numeric(s$xx)); file <- paste0(s$sn, ".csv"); n <- length(x); test <- 2 * p$h
    writeLines(c("t,value", paste(seq_along(x), num(x), sep = ",")), file.path(here, file))
    man[[length(man) + 1]] <- list(name = s$sn, file = file, kind = tolower(period), m = p$m, horizon = p$h, test = test, n = n,
      n_train = n - test, origins = test - p$h + 1, na = 0, r_frequency = frequency(s$x), source = "M3 (Mcomp)",
      note = paste(s$type, s$description))
  }
}
writeLines(jsonlite::toJSON(man, auto_unbox = TRUE, pretty = TRUE), file.path(here, "manifest.json"))
cat("wrote", length(man), "series\n")
