#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The Debian archive the machine's apt sources already name (the one that
# serves bookworm), found at run time and never written into the tree:
# other suites (bullseye, trixie, backports) come from the same archive,
# through a private apt state or a debootstrap root. Prints its URI; exits
# 1, saying why, when there is none.

site=$(apt-get indextargets --format '$(SITE) $(RELEASE)' |
       awk '$2 == "bookworm" || $2 == "trixie" { print $1; exit }')
if [ -z "$site" ]; then
	echo "no Debian archive (bookworm) in the apt sources" >&2
	exit 1
fi
echo "$site"
