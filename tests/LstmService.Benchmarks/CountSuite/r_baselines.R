#!/usr/bin/env Rscript
# R's figures for this folder on the forecast suite's protocol: the second suite's copy of the forecast suite's own script
# (../SecondSuite/r_baselines.R), pointed at this folder. Writes r_baselines.tsv here.
# Usage: Rscript r_baselines.R [series ...]
args <- commandArgs(trailingOnly = FALSE)
here <- dirname(normalizePath(sub("^--file=", "", args[grep("^--file=", args)])))
Sys.setenv(SUITE_DIR = here)
status <- system2("Rscript", c(file.path(here, "..", "SecondSuite", "r_baselines.R"), commandArgs(trailingOnly = TRUE)))
quit(status = status)
