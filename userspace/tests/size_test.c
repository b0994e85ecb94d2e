// SPDX-License-Identifier: GPL-2.0
/* The helper's argument parsers: sizes and counts. */
#include "kselftest_harness.h"
#include "size.h"

TEST(sizes)
{
	uint64_t b;

	ASSERT_EQ(0, nw_parse_size("2M", &b));
	EXPECT_EQ(2ULL << 20, b);
	ASSERT_EQ(0, nw_parse_size("1G", &b));
	EXPECT_EQ(1ULL << 30, b);
	ASSERT_EQ(0, nw_parse_size("2048MB", &b));
	EXPECT_EQ(2ULL << 30, b);
	ASSERT_EQ(0, nw_parse_size("4kib", &b));
	EXPECT_EQ(4096, b);
	ASSERT_EQ(0, nw_parse_size("4096", &b));
	EXPECT_EQ(4096, b);
	ASSERT_EQ(0, nw_parse_size("16T", &b));
	EXPECT_EQ(16ULL << 40, b);
}

TEST(sizes_garbage)
{
	const char *bad[] = {
		"", "M", "2X", "2MBs", "-2M", "+2M", "0", "0G", " 2M", "2 M",
		"99999999999999999999", "16777216T", "2.5G", "0x10",
	};
	uint64_t b = 7;
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_EQ(-1, nw_parse_size(bad[i], &b)) TH_LOG("'%s'", bad[i]);
		EXPECT_EQ(7, b);
	}
}

TEST(counts)
{
	uint64_t n;
	int rel;

	ASSERT_EQ(0, nw_parse_count("1024", &n, &rel));
	EXPECT_EQ(1024, n);
	EXPECT_EQ(0, rel);
	ASSERT_EQ(0, nw_parse_count("+16", &n, &rel));
	EXPECT_EQ(16, n);
	EXPECT_EQ(1, rel);
	EXPECT_EQ(-1, nw_parse_count("16M", &n, &rel));
	EXPECT_EQ(-1, nw_parse_count("-1", &n, &rel));
	EXPECT_EQ(-1, nw_parse_count("+", &n, &rel));
	EXPECT_EQ(-1, nw_parse_count("", &n, &rel));
}

TEST(names)
{
	char buf[32];

	nw_size_name(2ULL << 20, buf, sizeof(buf));
	EXPECT_STREQ("2M", buf);
	nw_size_name(1ULL << 30, buf, sizeof(buf));
	EXPECT_STREQ("1G", buf);
	nw_size_name(64 << 10, buf, sizeof(buf));
	EXPECT_STREQ("64K", buf);
	nw_size_name(1536, buf, sizeof(buf));
	EXPECT_STREQ("1536", buf);
}

TEST_HARNESS_MAIN
