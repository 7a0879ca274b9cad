// strata-shim entry points.
#pragma once

int shim_run(int argc, char **argv, const char *spec_path);
int shim_exec(char **argv, const char *spec_path);
