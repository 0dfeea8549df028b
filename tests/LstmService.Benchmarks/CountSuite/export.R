#!/usr/bin/env Rscript
# Writes this folder's series (t,value) and manifest.json: count data the other suites do not hold, from R package
# expsmooth's data (Hyndman et al. 2008), drawn with a seed before any was forecast:
#   carparts: monthly sales of car parts, mostly intermittent (8 of the 1,271 complete series with 8 or more months of
#             demand in their first 39); horizon 6, a test region of two horizons, m = 12 for R.
#   hospital: monthly patient counts of a US hospital's products (8 of 767); horizon 12, a test region of two horizons.
#   git clone https://github.com/robjhyndman/expsmooth /tmp/expsmooth
#   Rscript export.R /tmp/expsmooth/data && Rscript r_baselines.R
args <- commandArgs(trailingOnly = TRUE)
here <- dirname(normalizePath(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE))))
load(file.path(args[1], "carparts.rda")); load(file.path(args[1], "hospital.rda"))
set.seed(20261203)
man <- list()
write_series <- function(name, y, kind, h, note) {
  write.csv(data.frame(t = seq_along(y), value = y), file.path(here, paste0(name, ".csv")), row.names = FALSE, quote = FALSE)
  man[[length(man) + 1]] <<- list(name = name, file = paste0(name, ".csv"), kind = kind, m = 12, horizon = h, test = 2 * h,
    n = length(y), n_train = length(y) - 2 * h, origins = h + 1, na = 0, r_frequency = 12, source = "expsmooth", note = note)
}
usable <- which(apply(carparts, 2, function(x) !anyNA(x) && sum(x[1:39] > 0) >= 8))
for (j in sort(sample(usable, 8)))
  write_series(paste0("carparts_", colnames(carparts)[j]), as.numeric(carparts[, j]), "intermittent", 6, "monthly car part sales")
# hospital's column names repeat (35 names over 767 series): the series is named by its column.
for (j in sort(sample(which(apply(hospital, 2, function(x) !anyNA(x))), 8)))
  write_series(sprintf("hospital_%03d", j), as.numeric(hospital[, j]), "counts", 12, paste("monthly patient counts,", colnames(hospital)[j]))
writeLines(jsonlite::toJSON(man, auto_unbox = TRUE, pretty = TRUE), file.path(here, "manifest.json"))
