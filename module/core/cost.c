// SPDX-License-Identifier: GPL-2.0
/*
 * Default latencies. Figures are order-of-magnitude values for a current
 * x86 server part: a paging-structure read mostly hits the data caches
 * (tens of cycles); a VM exit round trip costs about a thousand cycles on
 * recent Intel parts (KVM's vmexit microbenchmarks in kvm-unit-tests'
 * vmexit.c measure 1-2 thousand); fixing a fault in the hypervisor adds a
 * few thousand more.
 */
#include "cost.h"

void nw_cost_defaults(struct nw_cost_cfg *c)
{
	int d, l;

	memset(c, 0, sizeof(*c));
	for (d = 0; d < NW_DIMS; d++)
		for (l = NW_PTE; l <= NW_PML5E; l++)
			c->ref_m[d][l] = 20000;
	c->ad_write_m = 25000;
	c->exit_m = 1200000;
	c->fault_m = 3000000;
}

