/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NW_CMDS_H
#define _NW_CMDS_H

/* Exit codes of the nestwalk command (see its --help). */
#define NW_EXIT_OK	0
#define NW_EXIT_FAIL	1
#define NW_EXIT_USAGE	2
#define NW_EXIT_PARTIAL	3	/* the kernel granted less than asked */

extern int nw_json;

int cmd_hugepages(int argc, char **argv);
int cmd_host(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_plot(int argc, char **argv);
int cmd_trace(int argc, char **argv);

#endif /* _NW_CMDS_H */
