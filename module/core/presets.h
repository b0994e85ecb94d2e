/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Named processor configurations: TLB geometry, walk caches, latencies.
 */
#ifndef _NESTWALK_CORE_PRESETS_H
#define _NESTWALK_CORE_PRESETS_H

#include "sim.h"

enum nw_preset {
	NW_PRESET_CUSTOM,	/* starting point for caller's own figures */
	NW_PRESET_NEHALEM,
	NW_PRESET_SKYLAKE,
	NW_PRESET_ZEN2,
	NW_PRESET_NR
};

extern const char *const nw_preset_names[];

int nw_preset(enum nw_preset p, struct nw_sim_cfg *cfg);

#endif /* _NESTWALK_CORE_PRESETS_H */
