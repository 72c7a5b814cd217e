/* SPDX-License-Identifier: MIT */
/*
 * Packet input for test runs: the default frame, packets from files (raw
 * bytes or the first record of a pcap file) and from hex text.
 *
 * The pcap format (the classic one of libpcap, not pcapng): a 24-byte
 * header whose magic number gives the byte order and the time unit
 * (0xa1b2c3d4 microseconds, 0xa1b23c4d nanoseconds) and whose last field
 * is the link type, then records of a 16-byte header (seconds, fraction,
 * captured length, original length) and the captured bytes.
 */
#include "bpf_int.h"

#include <glib.h>
#include <stdlib.h>
#include <string.h>

#define PCAP_MAGIC_US 0xa1b2c3d4u
#define PCAP_MAGIC_NS 0xa1b23c4du
#define PCAP_HDR 24
#define PCAP_REC_HDR 16
#define LINKTYPE_ETHERNET 1

static uint16_t ip_csum(const uint8_t *h, size_t n)
{
	uint32_t sum = 0;

	for (size_t i = 0; i < n; i += 2)
		sum += (uint32_t)(h[i] << 8 | h[i + 1]);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

void bpfs_packet_default(uint8_t out[BPFS_PACKET_DEFAULT_LEN])
{
	/* clang-format off */
	static const uint8_t head[42] = {
	    0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01, 0x08, 0x00,		    /* Ethernet */
	    0x45, 0, 0, 50, 0, 0, 0x40, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2, /* IPv4 */
	    0x04, 0xd2, 0, 53, 0, 30, 0, 0,					    /* UDP */
	};
	/* clang-format on */
	uint16_t c;

	memset(out, 0, BPFS_PACKET_DEFAULT_LEN);
	memcpy(out, head, sizeof(head));
	c = ip_csum(out + 14, 20);
	out[24] = (uint8_t)(c >> 8);
	out[25] = (uint8_t)c;
}

static uint32_t rd32(const uint8_t *p, bool swap)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return swap ? GUINT32_SWAP_LE_BE(v) : v;
}

static int take(const uint8_t *p, size_t n, uint8_t **data, size_t *len, struct bpfs_err *err)
{
	*data = malloc(n ? n : 1);
	if (!*data)
		return bpfs_err_set(err, ENOMEM, -1, "out of memory");
	memcpy(*data, p, n);
	*len = n;
	return 0;
}

/* The first record of a pcap file in buf. */
static int pcap_first(const char *path, const uint8_t *buf, size_t n, bool swap, uint8_t **data, size_t *len,
		      struct bpfs_err *err)
{
	uint32_t incl;

	if (n < PCAP_HDR)
		return bpfs_err_set(err, EINVAL, -1, "%s: pcap file truncated in its header", path);
	if (rd32(buf + 20, swap) != LINKTYPE_ETHERNET)
		return bpfs_err_set(err, EINVAL, -1, "%s: pcap link type %u is not Ethernet (1)", path,
				    rd32(buf + 20, swap));
	if (n < PCAP_HDR + PCAP_REC_HDR)
		return bpfs_err_set(err, EINVAL, -1, "%s: pcap file holds no packet", path);
	incl = rd32(buf + PCAP_HDR + 8, swap);
	if (incl > n - PCAP_HDR - PCAP_REC_HDR)
		return bpfs_err_set(err, EINVAL, -1,
				    "%s: first pcap record of %u bytes is truncated (%zu bytes left)", path,
				    incl, n - PCAP_HDR - PCAP_REC_HDR);
	return take(buf + PCAP_HDR + PCAP_REC_HDR, incl, data, len, err);
}

int bpfs_packet_read_file(const char *path, uint8_t **data, size_t *len, struct bpfs_err *err)
{
	GError *gerr = NULL;
	char *buf = NULL;
	gsize n = 0;
	uint32_t magic;
	bool swap;
	int ret;

	*data = NULL;
	*len = 0;
	if (!g_file_get_contents(path, &buf, &n, &gerr)) {
		ret = bpfs_err_set(
		    err, gerr->domain == G_FILE_ERROR && gerr->code == G_FILE_ERROR_NOENT ? ENOENT : EIO, -1,
		    "%s", gerr->message);
		g_error_free(gerr);
		return ret;
	}
	magic = n >= 4 ? rd32((uint8_t *)buf, false) : 0;
	swap = magic == GUINT32_SWAP_LE_BE(PCAP_MAGIC_US) || magic == GUINT32_SWAP_LE_BE(PCAP_MAGIC_NS);
	if (!swap && magic != PCAP_MAGIC_US && magic != PCAP_MAGIC_NS)
		ret = take((uint8_t *)buf, n, data, len, err);
	else
		ret = pcap_first(path, (uint8_t *)buf, n, swap, data, len, err);
	g_free(buf);
	return ret;
}

int bpfs_packet_parse_hex(const char *hex, uint8_t **data, size_t *len, struct bpfs_err *err)
{
	size_t digits = 0, n = 0;
	uint8_t *p = malloc(strlen(hex) / 2 + 1);
	int hi = -1;

	*data = NULL;
	*len = 0;
	if (!p)
		return bpfs_err_set(err, ENOMEM, -1, "out of memory");
	for (const char *c = hex; *c; c++) {
		int v;

		if (*c == ' ' || *c == ':' || *c == '\n')
			continue;
		v = g_ascii_xdigit_value(*c);
		if (v < 0) {
			free(p);
			return bpfs_err_set(err, EINVAL, -1, "'%c' at offset %zu is not a hex digit", *c,
					    (size_t)(c - hex));
		}
		if (hi < 0) {
			hi = v;
		} else {
			p[n++] = (uint8_t)(hi << 4 | v);
			hi = -1;
		}
		digits++;
	}
	if (hi >= 0) {
		free(p);
		return bpfs_err_set(err, EINVAL, -1, "odd number of hex digits (%zu)", digits);
	}
	*data = p;
	*len = n;
	return 0;
}
