-- SPDX-License-Identifier: GPL-2.0-or-later
--
-- teach.lua: a Wireshark / tshark dissector for AF_TEACH frames
-- (Ethertype 0x88B5): the network header, neighbour messages, control
-- messages, datagrams and stream segments with their options, as
-- Documentation/protocol.rst, datagram.rst and stream.rst describe them
-- and uapi/linux/teach.h lays them out.
--
--   tshark -X lua_script:userspace/wireshark/teach.lua -r x.pcap
--   tshark -X lua_script:teach.lua -r x.pcap -T fields -e teach.src -e teach.stream.seq
--
-- or, as a plugin for every Wireshark and tshark run, copy it into the
-- personal Lua plugin folder (tshark -G folders names it):
--
--   mkdir -p ~/.local/lib/wireshark/plugins && cp teach.lua ~/.local/lib/wireshark/plugins/
--
-- Every checksum is verified (network header, control message, the
-- datagram's and the segment's pseudo-header checksum), fragments are
-- reassembled, and each stream connection gets relative sequence numbers,
-- its window scale and a light sequence analysis (retransmissions, fast
-- retransmissions, duplicate ACKs), as Wireshark's TCP dissector does.
-- Documentation/wireshark.rst lists the fields.

local ETH_P_TEACH = 0x88B5
local TEACH_VERSION = 1
local TEACH_NEIGH_VERSION = 0xA

-- PROTO_CHECKSUM_E_* of Wireshark's proto.h
local CK_BAD, CK_GOOD, CK_UNVERIFIED, CK_NOT_PRESENT = 0, 1, 2, 3
local ck_status = { [0] = "Bad", [1] = "Good", [2] = "Unverified", [3] = "Not present" }

local proto_names = { [1] = "Control", [6] = "Stream", [17] = "Datagram" }

-- One's complement arithmetic -------------------------------------------

-- the sum of the big-endian 16-bit words of a string (odd length: a zero
-- byte added), not folded
local function sum16(s, sum)
	local n = #s
	local i = 1
	while i < n do
		local a, b = s:byte(i, i + 1)
		sum = sum + a * 256 + b
		i = i + 2
	end
	if i == n then
		sum = sum + s:byte(n) * 256
	end
	return sum
end

local function fold(sum)
	while sum > 0xffff do
		sum = (sum % 0x10000) + math.floor(sum / 0x10000)
	end
	return sum
end

-- the checksum a sender puts in a field that is zero in s
local function csum(s, sum)
	return 0xffff - fold(sum16(s, sum or 0))
end

-- the pseudo-header of datagrams and segments (datagram.rst)
local function pseudo_sum(saddr, daddr, proto, len)
	return math.floor(saddr / 0x10000) + saddr % 0x10000 +
	       math.floor(daddr / 0x10000) + daddr % 0x10000 + proto + len
end

-- s with the two bytes at (0-based) offset off set to zero
local function zero16(s, off)
	return s:sub(1, off) .. "\0\0" .. s:sub(off + 3)
end

-- 32-bit sequence arithmetic (stream_seq.h)
local function seq_diff(a, b)
	return (a - b + 0x80000000) % 0x100000000 - 0x80000000
end

local function seq_add(a, n)
	return (a + n) % 0x100000000
end

local function ipstr(n)
	return string.format("%d.%d.%d.%d", math.floor(n / 0x1000000),
			     math.floor(n / 0x10000) % 256,
			     math.floor(n / 0x100) % 256, n % 256)
end

-- The protocols and their fields -----------------------------------------

local teach = Proto("teach", "Teach network layer")
local neigh = Proto("teach.neigh", "Teach neighbour message")
local ctrl = Proto("teach.ctrl", "Teach control message")
local dgram = Proto("teach.dgram", "Teach datagram")
local stream = Proto("teach.stream", "Teach stream segment")

local F = {}

-- network header (struct teachhdr)
F.version = ProtoField.uint8("teach.version", "Version", base.DEC, nil, 0xf0)
F.ihl = ProtoField.uint8("teach.ihl", "Header length (32-bit words)", base.DEC, nil, 0x0f)
F.hdr_len = ProtoField.uint8("teach.hdr_len", "Header length", base.DEC)
F.class = ProtoField.uint8("teach.class", "Class", base.HEX)
F.dscp = ProtoField.uint8("teach.class.dscp", "DiffServ code point", base.DEC, nil, 0xfc)
F.ecn = ProtoField.uint8("teach.class.ecn", "ECN", base.DEC,
			 { [0] = "Not-ECT", [1] = "ECT(1)", [2] = "ECT(0)", [3] = "CE" }, 0x03)
F.len = ProtoField.uint16("teach.len", "Total length", base.DEC)
F.id = ProtoField.uint16("teach.id", "Identification", base.HEX_DEC)
F.flags = ProtoField.uint16("teach.flags", "Flags", base.HEX, nil, 0xe000)
F.flags_rf = ProtoField.bool("teach.flags.rf", "Reserved", 16, { "Set", "Not set" }, 0x8000)
F.flags_df = ProtoField.bool("teach.flags.df", "Don't fragment", 16, { "Set", "Not set" }, 0x4000)
F.flags_mf = ProtoField.bool("teach.flags.mf", "More fragments", 16, { "Set", "Not set" }, 0x2000)
F.frag_offset = ProtoField.uint16("teach.frag_offset", "Fragment offset (bytes)", base.DEC)
F.ttl = ProtoField.uint8("teach.ttl", "Time to live", base.DEC)
F.proto = ProtoField.uint8("teach.proto", "Protocol", base.DEC, proto_names)
F.checksum = ProtoField.uint16("teach.checksum", "Header checksum", base.HEX)
F.checksum_calc = ProtoField.uint16("teach.checksum_calculated", "Calculated checksum", base.HEX)
F.checksum_status = ProtoField.uint8("teach.checksum.status", "Header checksum status", base.DEC, ck_status)
F.src = ProtoField.ipv4("teach.src", "Source address")
F.dst = ProtoField.ipv4("teach.dst", "Destination address")
F.addr = ProtoField.ipv4("teach.addr", "Source or destination address")
F.options = ProtoField.bytes("teach.options", "Options")
F.padding = ProtoField.bytes("teach.padding", "Padding beyond the total length")
F.payload = ProtoField.bytes("teach.payload", "Payload")
-- fragments and their reassembly
F.fragment_data = ProtoField.bytes("teach.fragment.data", "Fragment data")
F.fragment = ProtoField.framenum("teach.fragment", "Fragment")
F.fragment_count = ProtoField.uint32("teach.fragment.count", "Fragment count")
F.reassembled_in = ProtoField.framenum("teach.reassembled_in", "Reassembled in frame")
F.reassembled_len = ProtoField.uint32("teach.reassembled.length", "Reassembled length")

-- neighbour messages (struct teach_neighhdr)
F.n_version = ProtoField.uint8("teach.neigh.version", "Version", base.HEX, nil, 0xf0)
F.n_op = ProtoField.uint8("teach.neigh.op", "Operation", base.DEC,
			  { [1] = "request", [2] = "reply" })
F.n_hlen = ProtoField.uint8("teach.neigh.hlen", "Hardware address length")
F.n_plen = ProtoField.uint8("teach.neigh.plen", "Protocol address length")
F.n_sender = ProtoField.ipv4("teach.neigh.sender", "Sender address")
F.n_target = ProtoField.ipv4("teach.neigh.target", "Target address")
F.n_sender_hw = ProtoField.ether("teach.neigh.sender_hw", "Sender hardware address")
F.n_target_hw = ProtoField.ether("teach.neigh.target_hw", "Target hardware address")
F.n_announce = ProtoField.bool("teach.neigh.announcement", "Announcement")

-- control messages (struct teach_ctrlhdr)
local ctrl_types = {
	[0] = "Echo reply", [3] = "Destination unreachable", [8] = "Echo request",
	[11] = "Time exceeded", [12] = "Parameter problem",
}
local unreach_codes = {
	[0] = "Network unreachable", [1] = "Host unreachable",
	[2] = "Protocol unreachable", [3] = "Port unreachable",
	[4] = "Fragmentation needed", [13] = "Administratively prohibited",
}
local timx_codes = {
	[0] = "TTL exceeded in transit", [1] = "Fragment reassembly time exceeded",
}
F.c_type = ProtoField.uint8("teach.ctrl.type", "Type", base.DEC, ctrl_types)
F.c_code = ProtoField.uint8("teach.ctrl.code", "Code", base.DEC)
F.c_checksum = ProtoField.uint16("teach.ctrl.checksum", "Checksum", base.HEX)
F.c_checksum_calc = ProtoField.uint16("teach.ctrl.checksum_calculated", "Calculated checksum", base.HEX)
F.c_checksum_status = ProtoField.uint8("teach.ctrl.checksum.status", "Checksum status", base.DEC, ck_status)
F.c_id = ProtoField.uint16("teach.ctrl.id", "Identifier", base.HEX_DEC)
F.c_seq = ProtoField.uint16("teach.ctrl.seq", "Sequence number", base.DEC)
F.c_mtu = ProtoField.uint16("teach.ctrl.mtu", "Next-hop MTU", base.DEC)
F.c_unused = ProtoField.bytes("teach.ctrl.unused", "Unused")
F.c_data = ProtoField.bytes("teach.ctrl.data", "Data")
F.c_quoted = ProtoField.bytes("teach.ctrl.quoted", "Quoted packet")

-- datagrams (struct teach_dgramhdr)
F.d_srcport = ProtoField.uint16("teach.dgram.srcport", "Source port")
F.d_dstport = ProtoField.uint16("teach.dgram.dstport", "Destination port")
F.d_port = ProtoField.uint16("teach.dgram.port", "Source or destination port")
F.d_length = ProtoField.uint16("teach.dgram.length", "Length")
F.d_checksum = ProtoField.uint16("teach.dgram.checksum", "Checksum", base.HEX)
F.d_checksum_calc = ProtoField.uint16("teach.dgram.checksum_calculated", "Calculated checksum", base.HEX)
F.d_checksum_status = ProtoField.uint8("teach.dgram.checksum.status", "Checksum status", base.DEC, ck_status)
F.d_payload = ProtoField.bytes("teach.dgram.payload", "Payload")

-- stream segments (struct teach_streamhdr) and their options
F.s_srcport = ProtoField.uint16("teach.stream.srcport", "Source port")
F.s_dstport = ProtoField.uint16("teach.stream.dstport", "Destination port")
F.s_port = ProtoField.uint16("teach.stream.port", "Source or destination port")
F.s_stream = ProtoField.uint32("teach.stream.stream", "Stream index")
F.s_seq = ProtoField.uint32("teach.stream.seq", "Sequence number")
F.s_seq_raw = ProtoField.uint32("teach.stream.seq_raw", "Sequence number (raw)")
F.s_nxtseq = ProtoField.uint32("teach.stream.nxtseq", "Next sequence number")
F.s_ack = ProtoField.uint32("teach.stream.ack", "Acknowledgment number")
F.s_ack_raw = ProtoField.uint32("teach.stream.ack_raw", "Acknowledgment number (raw)")
F.s_hdr_len = ProtoField.uint8("teach.stream.hdr_len", "Header length", base.DEC)
F.s_doff = ProtoField.uint8("teach.stream.doff", "Data offset (32-bit words)", base.DEC, nil, 0xf0)
F.s_flags = ProtoField.uint8("teach.stream.flags", "Flags", base.HEX)
F.s_flags_str = ProtoField.string("teach.stream.flags.str", "Flags in words")
F.s_flag_urg = ProtoField.bool("teach.stream.flags.urg", "Urgent (ignored)", 8, { "Set", "Not set" }, 0x20)
F.s_flag_ack = ProtoField.bool("teach.stream.flags.ack", "Acknowledgment", 8, { "Set", "Not set" }, 0x10)
F.s_flag_psh = ProtoField.bool("teach.stream.flags.push", "Push", 8, { "Set", "Not set" }, 0x08)
F.s_flag_rst = ProtoField.bool("teach.stream.flags.reset", "Reset", 8, { "Set", "Not set" }, 0x04)
F.s_flag_syn = ProtoField.bool("teach.stream.flags.syn", "Syn", 8, { "Set", "Not set" }, 0x02)
F.s_flag_fin = ProtoField.bool("teach.stream.flags.fin", "Fin", 8, { "Set", "Not set" }, 0x01)
F.s_window = ProtoField.uint16("teach.stream.window_size_value", "Window (field)")
F.s_window_scaled = ProtoField.uint32("teach.stream.window_size", "Window (bytes, scaled)")
F.s_window_factor = ProtoField.int32("teach.stream.window_size_scalefactor", "Window scaling factor")
F.s_checksum = ProtoField.uint16("teach.stream.checksum", "Checksum", base.HEX)
F.s_checksum_calc = ProtoField.uint16("teach.stream.checksum_calculated", "Calculated checksum", base.HEX)
F.s_checksum_status = ProtoField.uint8("teach.stream.checksum.status", "Checksum status", base.DEC, ck_status)
F.s_urg_ptr = ProtoField.uint16("teach.stream.urgent_pointer", "Urgent pointer (unused)")
F.s_len = ProtoField.uint32("teach.stream.len", "Payload length")
F.s_payload = ProtoField.bytes("teach.stream.payload", "Payload")
local opt_kinds = {
	[0] = "End of option list", [1] = "No-operation", [2] = "Maximum segment size",
	[3] = "Window scale", [4] = "SACK permitted", [5] = "SACK",
	[8] = "Timestamps",
}
F.o_all = ProtoField.bytes("teach.stream.options", "Options")
F.o_kind = ProtoField.uint8("teach.stream.option_kind", "Kind", base.DEC, opt_kinds)
F.o_len = ProtoField.uint8("teach.stream.option_len", "Length")
F.o_mss = ProtoField.uint16("teach.stream.options.mss_val", "MSS")
F.o_wscale = ProtoField.uint8("teach.stream.options.wscale.shift", "Shift count")
F.o_wscale_mult = ProtoField.uint32("teach.stream.options.wscale.multiplier", "Multiplier")
F.o_sack_perm = ProtoField.bool("teach.stream.options.sack_perm", "SACK permitted")
F.o_sack_le = ProtoField.uint32("teach.stream.options.sack_le", "SACK left edge")
F.o_sack_re = ProtoField.uint32("teach.stream.options.sack_re", "SACK right edge")
F.o_sack_count = ProtoField.uint8("teach.stream.options.sack.count", "SACK blocks")
F.o_tsval = ProtoField.uint32("teach.stream.options.timestamp.tsval", "TSval")
F.o_tsecr = ProtoField.uint32("teach.stream.options.timestamp.tsecr", "TSecr")
F.o_unknown = ProtoField.bytes("teach.stream.options.unknown", "Unknown option")
-- sequence analysis
F.a_retrans = ProtoField.bool("teach.stream.analysis.retransmission", "Retransmission")
F.a_fast_retrans = ProtoField.bool("teach.stream.analysis.fast_retransmission", "Fast retransmission")
F.a_dup_ack = ProtoField.uint32("teach.stream.analysis.duplicate_ack_num", "Duplicate ACK number")
F.a_dup_ack_frame = ProtoField.framenum("teach.stream.analysis.duplicate_ack_frame", "Duplicate of the ACK in frame")

local function fields_of(prefix)
	local list = {}
	for k, v in pairs(F) do
		if k:find(prefix) == 1 then
			list[#list + 1] = v
		end
	end
	return list
end
neigh.fields = fields_of("n_")
ctrl.fields = fields_of("c_")
dgram.fields = fields_of("d_")
local sfields = fields_of("s_")
for _, v in ipairs(fields_of("o_")) do sfields[#sfields + 1] = v end
for _, v in ipairs(fields_of("a_")) do sfields[#sfields + 1] = v end
stream.fields = sfields
do
	local t = {}
	for k, v in pairs(F) do
		if not (k:find("n_") == 1 or k:find("c_") == 1 or k:find("d_") == 1 or
			k:find("s_") == 1 or k:find("o_") == 1 or k:find("a_") == 1) then
			t[#t + 1] = v
		end
	end
	teach.fields = t
end

local E = {
	bad_version = ProtoExpert.new("teach.bad_version", "Unknown version: the receiver drops it (InHdrErrors)",
				      expert.group.MALFORMED, expert.severity.ERROR),
	bad_length = ProtoExpert.new("teach.bad_length", "Impossible length: the receiver drops it",
				     expert.group.MALFORMED, expert.severity.ERROR),
	truncated = ProtoExpert.new("teach.truncated", "Shorter than the header says (InTruncatedPkts)",
				    expert.group.MALFORMED, expert.severity.ERROR),
	bad_flag = ProtoExpert.new("teach.bad_flag", "Reserved flag set: the receiver drops it (InHdrErrors)",
				   expert.group.PROTOCOL, expert.severity.ERROR),
	bad_checksum = ProtoExpert.new("teach.checksum.bad", "Bad header checksum (InCsumErrors)",
				       expert.group.CHECKSUM, expert.severity.ERROR),
	fragment = ProtoExpert.new("teach.fragment.note", "Fragment of a larger packet",
				   expert.group.REASSEMBLE, expert.severity.NOTE),
	n_bad = ProtoExpert.new("teach.neigh.malformed", "Malformed neighbour message (NeighInErrors)",
				expert.group.MALFORMED, expert.severity.ERROR),
	c_short = ProtoExpert.new("teach.ctrl.short", "Control message too short (CtrlInErrors)",
				  expert.group.MALFORMED, expert.severity.ERROR),
	c_bad_checksum = ProtoExpert.new("teach.ctrl.checksum.bad", "Bad control message checksum (CtrlInErrors)",
					 expert.group.CHECKSUM, expert.severity.ERROR),
	d_bad_checksum = ProtoExpert.new("teach.dgram.checksum.bad", "Bad datagram checksum (DgramInCsumErrors)",
					 expert.group.CHECKSUM, expert.severity.ERROR),
	d_bad_length = ProtoExpert.new("teach.dgram.bad_length", "Bad datagram length (DgramInErrors)",
				       expert.group.MALFORMED, expert.severity.ERROR),
	s_bad_checksum = ProtoExpert.new("teach.stream.checksum.bad", "Bad segment checksum (StreamInCsumErrors)",
					 expert.group.CHECKSUM, expert.severity.ERROR),
	s_bad = ProtoExpert.new("teach.stream.malformed", "Malformed segment: the receiver drops it (StreamInErrs)",
				expert.group.MALFORMED, expert.severity.ERROR),
	s_bad_option = ProtoExpert.new("teach.stream.bad_option", "Option ignored by the receiver (StreamBadOptions)",
				       expert.group.PROTOCOL, expert.severity.WARN),
	s_retrans = ProtoExpert.new("teach.stream.analysis.retransmission.expert", "This segment is a retransmission",
				    expert.group.SEQUENCE, expert.severity.NOTE),
	s_fast_retrans = ProtoExpert.new("teach.stream.analysis.fast_retransmission.expert",
					 "This segment is a fast retransmission", expert.group.SEQUENCE,
					 expert.severity.NOTE),
	s_dup_ack = ProtoExpert.new("teach.stream.analysis.duplicate_ack.expert", "Duplicate ACK",
				    expert.group.SEQUENCE, expert.severity.NOTE),
}
teach.experts = { E.bad_version, E.bad_length, E.truncated, E.bad_flag, E.bad_checksum, E.fragment }
neigh.experts = { E.n_bad }
ctrl.experts = { E.c_bad_checksum, E.c_short }
dgram.experts = { E.d_bad_checksum, E.d_bad_length }
stream.experts = { E.s_bad_checksum, E.s_bad, E.s_bad_option, E.s_retrans, E.s_fast_retrans, E.s_dup_ack }

-- Other dissectors may take the payload of a port ("Decode As" too).
local dgram_ports = DissectorTable.new("teach.dgram.port", "Teach datagram port", ftypes.UINT16, base.DEC, dgram)
local stream_ports = DissectorTable.new("teach.stream.port", "Teach stream port", ftypes.UINT16, base.DEC, stream)
local data_dissector = Dissector.get("data")

-- State kept across the frames of a capture --------------------------------

local frags        -- "src dst proto id" -> { parts = {}, total = n }
local reassembled  -- frame number -> { data = string, frames = { numbers } }
local reassembled_in -- frame number of a fragment -> frame that completed it
local conns        -- canonical four-tuple -> connection state
local nconns
local seg_info     -- frame number -> what the sequence analysis found

local function reset_state()
	frags, reassembled, reassembled_in = {}, {}, {}
	conns, nconns, seg_info = {}, 0, {}
end
reset_state()
teach.init = reset_state

-- Helpers for the tree --------------------------------------------------------

local function add_checksum(tree, fields, range, computed_ok, calc, status_override)
	local item = tree:add(fields.value, range)
	local status
	if status_override then
		status = status_override
	elseif computed_ok then
		status = CK_GOOD
	else
		status = CK_BAD
	end
	if calc then
		item:append_text(status == CK_GOOD and " [correct]" or
				 status == CK_BAD and string.format(" [incorrect, should be 0x%04x]", calc) or "")
		tree:add(fields.calc, calc):set_generated()
	else
		item:append_text(status == CK_NOT_PRESENT and " [not present]" or " [unverified]")
	end
	tree:add(fields.status, status):set_generated()
	return item, status
end

local function set_info(pinfo, ctx, text)
	if not ctx.quoted then
		pinfo.cols.info:set(text)
	end
end

local function set_protocol(pinfo, ctx, name)
	if not ctx.quoted then
		pinfo.cols.protocol:set(name)
	end
end

-- Neighbour messages ----------------------------------------------------------

local function dissect_neigh(tvb, pinfo, tree)
	pinfo.cols.protocol:set("TEACH-NEIGH")
	local len = tvb:len()
	local t = tree:add(neigh, tvb(0, math.min(len, 24)))
	if len < 24 then
		t:add_proto_expert_info(E.n_bad, "Shorter than the 24 bytes of a neighbour message")
		pinfo.cols.info:set("Malformed neighbour message")
		return len
	end
	local ver = tvb(0, 1):uint()
	local op = tvb(1, 1):uint()
	local hlen, plen = tvb(2, 1):uint(), tvb(3, 1):uint()
	local sip, tip = tvb(4, 4):ipv4(), tvb(8, 4):ipv4()
	local sha = tvb(12, 6):ether()
	t:add(F.n_version, tvb(0, 1))
	t:add(F.n_op, tvb(1, 1))
	t:add(F.n_hlen, tvb(2, 1))
	t:add(F.n_plen, tvb(3, 1))
	t:add(F.n_sender, tvb(4, 4))
	t:add(F.n_target, tvb(8, 4))
	t:add(F.n_sender_hw, tvb(12, 6))
	t:add(F.n_target_hw, tvb(18, 6))
	local announce = op == 1 and tvb(4, 4):uint() == tvb(8, 4):uint()
	t:add(F.n_announce, announce):set_generated()
	local sipn = tvb(4, 4):uint()
	local bad
	if ver ~= TEACH_NEIGH_VERSION * 16 then
		bad = string.format("version byte 0x%02x, not 0xa0", ver)
	elseif hlen ~= 6 or plen ~= 4 then
		bad = "address lengths not 6 and 4"
	elseif op ~= 1 and op ~= 2 then
		bad = "unknown operation " .. op
	elseif sipn == 0 or sipn == 0xffffffff or math.floor(sipn / 0x10000000) == 0xe then
		bad = "zero, broadcast or multicast sender"
	elseif tvb(12, 1):uint() % 2 == 1 or tvb(12, 6):bytes():tohex() == "000000000000" then
		bad = "zero or multicast sender hardware address"
	end
	if bad then
		t:add_proto_expert_info(E.n_bad, "Malformed neighbour message: " .. bad)
	end
	pinfo.src = Address.ip(tostring(sip))
	pinfo.dst = Address.ip(tostring(tip))
	local info
	if announce then
		info = string.format("Announcement: %s is at %s", tostring(sip), tostring(sha))
	elseif op == 1 then
		info = string.format("Who has %s? Tell %s", tostring(tip), tostring(sip))
	elseif op == 2 then
		info = string.format("%s is at %s", tostring(sip), tostring(sha))
	else
		info = "Neighbour message, operation " .. op
	end
	if bad then
		info = info .. " [malformed]"
	end
	t:append_text(", " .. info)
	pinfo.cols.info:set(info)
	if len > 24 then
		tree:add(F.padding, tvb(24))
	end
	return len
end

-- Control messages ------------------------------------------------------------

local dissect_net -- forward: an error quotes a network header

local function dissect_ctrl(tvb, pinfo, tree, ctx)
	set_protocol(pinfo, ctx, "TEACH-CTRL")
	local len = ctx.length or tvb:len()
	local t = tree:add(ctrl, tvb())
	if len < 8 then
		t:add_proto_expert_info(E.c_short, "Shorter than the 8 bytes of a control header")
		return
	end
	if tvb:len() < 8 then
		t:append_text(" [not captured]")
		return
	end
	local typ, code = tvb(0, 1):uint(), tvb(1, 1):uint()
	t:add(F.c_type, tvb(0, 1))
	local codes = typ == 3 and unreach_codes or typ == 11 and timx_codes or {}
	local citem = t:add(F.c_code, tvb(1, 1))
	if codes[code] then
		citem:append_text(" (" .. codes[code] .. ")")
	end
	local check = tvb(2, 2):uint()
	if ctx.quoted or ctx.snapped then
		add_checksum(t, { value = F.c_checksum, calc = F.c_checksum_calc, status = F.c_checksum_status },
			     tvb(2, 2), false, nil, CK_UNVERIFIED)
	else
		local raw = tvb:raw()
		local calc = csum(zero16(raw, 2))
		local _, st = add_checksum(t, { value = F.c_checksum, calc = F.c_checksum_calc,
						status = F.c_checksum_status },
					   tvb(2, 2), fold(sum16(raw, 0)) == 0xffff, calc)
		if st == CK_BAD then
			t:add_proto_expert_info(E.c_bad_checksum)
		end
	end
	local name = ctrl_types[typ] or ("Type " .. typ)
	local info = name
	if typ == 0 or typ == 8 then
		t:add(F.c_id, tvb(4, 2))
		t:add(F.c_seq, tvb(6, 2))
		info = string.format("%s id=0x%04x, seq=%d", name, tvb(4, 2):uint(), tvb(6, 2):uint())
		if ctx.ttl then
			info = info .. ", ttl=" .. ctx.ttl
		end
		if tvb:len() > 8 then
			t:add(F.c_data, tvb(8))
		end
	else
		if typ == 3 and code == 4 then
			t:add(F.c_unused, tvb(4, 2))
			t:add(F.c_mtu, tvb(6, 2))
			info = string.format("%s (%s, next-hop MTU %d)", name, codes[code], tvb(6, 2):uint())
		else
			t:add(F.c_unused, tvb(4, 4))
			if codes[code] then
				info = string.format("%s (%s)", name, codes[code])
			end
		end
		if len < 28 and not ctx.quoted then
			t:add_proto_expert_info(E.c_short, "An error too short to quote a network header")
		end
		-- the offending packet's header and 8 bytes of its payload
		if tvb:len() > 8 and not ctx.quoted then
			local q = tvb(8):tvb()
			local qt = t:add(F.c_quoted, tvb(8))
			qt:set_text("Quoted packet (" .. (len - 8) .. " bytes)")
			dissect_net(q, pinfo, qt, { quoted = true })
		elseif tvb:len() > 8 then
			t:add(F.c_data, tvb(8))
		end
	end
	t:append_text(", " .. info)
	set_info(pinfo, ctx, info)
end

-- Datagrams -------------------------------------------------------------------

local function dissect_dgram(tvb, pinfo, tree, ctx)
	set_protocol(pinfo, ctx, "TEACH-DGRAM")
	local len = ctx.length or tvb:len()
	local cap = tvb:len()
	local t = tree:add(dgram, tvb())
	if len < 4 or cap < 4 then
		t:add_proto_expert_info(E.d_bad_length, "Shorter than the ports")
		return
	end
	local sport, dport = tvb(0, 2):uint(), tvb(2, 2):uint()
	t:add(F.d_srcport, tvb(0, 2))
	t:add(F.d_dstport, tvb(2, 2))
	t:add(F.d_port, tvb(0, 2)):set_hidden()
	t:add(F.d_port, tvb(2, 2)):set_hidden()
	t:append_text(string.format(", Src Port: %d, Dst Port: %d", sport, dport))
	if not ctx.quoted then
		pinfo.src_port = sport
		pinfo.dst_port = dport
	end
	if len < 8 or cap < 8 then
		if not ctx.quoted and len < 8 then
			t:add_proto_expert_info(E.d_bad_length, "Shorter than the 8-byte header")
		end
		return
	end
	local ulen, check = tvb(4, 2):uint(), tvb(6, 2):uint()
	local litem = t:add(F.d_length, tvb(4, 2))
	local ckf = { value = F.d_checksum, calc = F.d_checksum_calc, status = F.d_checksum_status }
	if ctx.quoted then
		add_checksum(t, ckf, tvb(6, 2), false, nil, check == 0 and CK_NOT_PRESENT or CK_UNVERIFIED)
		return
	end
	if ulen < 8 or ulen > len then
		litem:add_proto_expert_info(E.d_bad_length,
					    string.format("Length %d, but %d bytes arrived (DgramInErrors)", ulen, len))
		add_checksum(t, ckf, tvb(6, 2), false, nil, CK_UNVERIFIED)
		set_info(pinfo, ctx, string.format("%d → %d bad length %d", sport, dport, ulen))
		return
	end
	if check == 0 then
		add_checksum(t, ckf, tvb(6, 2), false, nil, CK_NOT_PRESENT)
	elseif cap < ulen then
		add_checksum(t, ckf, tvb(6, 2), false, nil, CK_UNVERIFIED)
	else
		local raw = tvb:raw(0, ulen)
		local ps = pseudo_sum(ctx.saddr, ctx.daddr, 17, ulen)
		local calc = csum(zero16(raw, 6), ps)
		if calc == 0 then
			calc = 0xffff
		end
		local _, st = add_checksum(t, ckf, tvb(6, 2), fold(sum16(raw, ps)) == 0xffff, calc)
		if st == CK_BAD then
			t:add_proto_expert_info(E.d_bad_checksum)
		end
	end
	set_info(pinfo, ctx, string.format("%d → %d Len=%d", sport, dport, ulen - 8))
	if ulen > 8 and cap > 8 then
		local ptvb = tvb(8, math.min(ulen, cap) - 8):tvb()
		t:add(F.d_payload, tvb(8, math.min(ulen, cap) - 8))
		if dgram_ports:try(dport, ptvb, pinfo, tree) == 0 and
		   dgram_ports:try(sport, ptvb, pinfo, tree) == 0 then
			data_dissector:call(ptvb, pinfo, tree)
		end
	end
end

-- Stream segments ---------------------------------------------------------------

local flag_names = { { 0x01, "FIN" }, { 0x02, "SYN" }, { 0x04, "RST" }, { 0x08, "PSH" },
		     { 0x10, "ACK" }, { 0x20, "URG" } }

local function flags_in_words(f)
	local w = {}
	for _, p in ipairs(flag_names) do
		if bit32.band(f, p[1]) ~= 0 then
			w[#w + 1] = p[2]
		end
	end
	return table.concat(w, ", ")
end

-- the options of one segment: a table of what was found, and the tree
local function dissect_options(tvb, off, stop, tree, syn)
	local found = { sack = {} }
	local ot = tree:add(F.o_all, tvb(off, stop - off))
	ot:set_text("Options: (" .. (stop - off) .. " bytes)")
	local words = {}
	while off < stop do
		local kind = tvb(off, 1):uint()
		if kind == 0 then
			local it = ot:add(F.o_kind, tvb(off, 1))
			it:set_text("End of option list")
			break
		elseif kind == 1 then
			local it = ot:add(F.o_kind, tvb(off, 1))
			it:set_text("No-operation (NOP)")
			off = off + 1
		else
			if off + 1 >= stop then
				ot:add_proto_expert_info(E.s_bad_option, "An option without its length ends the list")
				break
			end
			local olen = tvb(off + 1, 1):uint()
			if olen < 2 or off + olen > stop then
				ot:add_proto_expert_info(E.s_bad_option,
							 string.format("Option length %d: ends the list", olen))
				break
			end
			local r = tvb(off, olen)
			local st = ot:add(r, (opt_kinds[kind] or ("Kind " .. kind)))
			st:add(F.o_kind, tvb(off, 1))
			st:add(F.o_len, tvb(off + 1, 1))
			local bad
			if kind == 2 then
				if olen ~= 4 then bad = "MSS of length " .. olen
				elseif not syn then bad = "MSS on a segment without SYN"
				else
					st:add(F.o_mss, tvb(off + 2, 2))
					found.mss = tvb(off + 2, 2):uint()
					st:append_text(": " .. found.mss .. " bytes")
					words[#words + 1] = "MSS=" .. found.mss
				end
			elseif kind == 3 then
				if olen ~= 3 then bad = "window scale of length " .. olen
				elseif not syn then bad = "window scale on a segment without SYN"
				else
					local sh = tvb(off + 2, 1):uint()
					st:add(F.o_wscale, tvb(off + 2, 1))
					-- a shift above 14 is taken as 14 (RFC 7323 2.3)
					local eff = math.min(sh, 14)
					st:add(F.o_wscale_mult, 2 ^ eff):set_generated()
					st:append_text(string.format(": %d (multiply by %d)", sh, 2 ^ eff))
					found.wscale = eff
					words[#words + 1] = "WS=" .. math.floor(2 ^ eff)
				end
			elseif kind == 4 then
				if olen ~= 2 then bad = "SACK-permitted of length " .. olen
				elseif not syn then bad = "SACK-permitted on a segment without SYN"
				else
					st:add(F.o_sack_perm, true):set_generated()
					found.sack_perm = true
					words[#words + 1] = "SACK_PERM"
				end
			elseif kind == 5 then
				local n = (olen - 2) / 8
				if n ~= math.floor(n) or n < 1 or n > 4 then bad = "SACK of length " .. olen
				elseif syn then bad = "SACK on a SYN"
				else
					st:add(F.o_sack_count, n):set_generated()
					for i = 0, n - 1 do
						local le = tvb(off + 2 + 8 * i, 4):uint()
						local re = tvb(off + 6 + 8 * i, 4):uint()
						st:add(F.o_sack_le, tvb(off + 2 + 8 * i, 4))
						st:add(F.o_sack_re, tvb(off + 6 + 8 * i, 4))
						found.sack[#found.sack + 1] = { le, re, off + 2 + 8 * i }
					end
				end
			elseif kind == 8 then
				if olen ~= 10 then bad = "timestamps of length " .. olen
				else
					st:add(F.o_tsval, tvb(off + 2, 4))
					st:add(F.o_tsecr, tvb(off + 6, 4))
					found.tsval = tvb(off + 2, 4):uint()
					found.tsecr = tvb(off + 6, 4):uint()
					st:append_text(string.format(": TSval %d, TSecr %d", found.tsval, found.tsecr))
					words[#words + 1] = "TSval=" .. found.tsval
					words[#words + 1] = "TSecr=" .. found.tsecr
				end
			else
				st:add(F.o_unknown, tvb(off, olen))
			end
			if bad then
				st:add_proto_expert_info(E.s_bad_option, "Ignored by the receiver: " .. bad)
			end
			off = off + olen
		end
	end
	found.words = words
	return found
end

-- Per-connection state, first pass only: relative numbers, window scale,
-- retransmissions and duplicate ACKs.  The results are kept per frame, so
-- that a second dissection (Wireshark's GUI) shows the same.
local function analyse(pinfo, ctx, sport, dport, seq, ack, flags, win, plen, opts)
	local a = ipstr(ctx.saddr) .. ":" .. sport
	local b = ipstr(ctx.daddr) .. ":" .. dport
	local key = a < b and (a .. " " .. b) or (b .. " " .. a)
	local c = conns[key]
	local syn = bit32.band(flags, 0x02) ~= 0
	local fin = bit32.band(flags, 0x01) ~= 0
	local rst = bit32.band(flags, 0x04) ~= 0
	local ackf = bit32.band(flags, 0x10) ~= 0
	-- a SYN without ACK after the connection ended starts a new one
	if not c or (syn and not ackf and c.dirs[a] and c.dirs[a].isn and c.dirs[a].isn ~= seq) then
		c = { index = nconns, dirs = {} }
		nconns = nconns + 1
		conns[key] = c
	end
	local d = c.dirs[a] or {}
	c.dirs[a] = d
	local r = c.dirs[b] or {}
	c.dirs[b] = r
	local res = { stream = c.index }
	if syn then
		d.isn = seq
		d.syn = true
		d.wscale = opts.wscale
		d.ws_unknown = opts.not_captured
	end
	if d.isn then
		res.rel_seq = seq_diff(seq, d.isn) % 0x100000000
	end
	if ackf and r.isn then
		res.rel_ack = seq_diff(ack, r.isn) % 0x100000000
	end
	-- the windows of SYNs are never scaled; the others when both SYNs
	-- offered a shift
	if syn then
		res.scale = 0
	elseif d.syn and r.syn and not d.ws_unknown and not r.ws_unknown then
		res.scale = (d.wscale and r.wscale) and d.wscale or 0
	end
	local len = plen + (syn and 1 or 0) + (fin and 1 or 0)
	local seq_end = seq_add(seq, len)
	if len > 0 and not rst then
		if d.max_end and seq_diff(seq_end, d.max_end) <= 0 and seq_diff(seq, d.max_end) < 0 then
			res.retrans = true
			if r.dupacks and r.dupacks >= 2 and r.last_ack == seq then
				res.fast_retrans = true
			end
		end
		if not d.max_end or seq_diff(seq_end, d.max_end) > 0 then
			d.max_end = seq_end
		end
	end
	if ackf and not rst then
		if plen == 0 and not syn and not fin and d.last_ack == ack and d.last_win == win and
		   d.last_ack_frame then
			d.dupacks = (d.dupacks or 0) + 1
			res.dup_ack = d.dupacks
			res.dup_of = d.last_ack_frame
		elseif d.last_ack ~= ack or plen > 0 or syn or fin then
			d.dupacks = 0
			d.last_ack = ack
			d.last_ack_frame = pinfo.number
		end
		d.last_win = win
	end
	return res
end

local function dissect_stream(tvb, pinfo, tree, ctx)
	set_protocol(pinfo, ctx, "TEACH-STREAM")
	local len = ctx.length or tvb:len()
	local cap = tvb:len()
	local t = tree:add(stream, tvb())
	if len < 4 or cap < 4 then
		t:add_proto_expert_info(E.s_bad, "Shorter than the ports")
		return
	end
	local sport, dport = tvb(0, 2):uint(), tvb(2, 2):uint()
	t:add(F.s_srcport, tvb(0, 2))
	t:add(F.s_dstport, tvb(2, 2))
	t:add(F.s_port, tvb(0, 2)):set_hidden()
	t:add(F.s_port, tvb(2, 2)):set_hidden()
	t:append_text(string.format(", Src Port: %d, Dst Port: %d", sport, dport))
	if ctx.quoted then
		if cap >= 8 then
			t:add(F.s_seq_raw, tvb(4, 4))
		end
		return
	end
	pinfo.src_port = sport
	pinfo.dst_port = dport
	if len < 20 then
		t:add_proto_expert_info(E.s_bad, "Shorter than the 20-byte header")
		set_info(pinfo, ctx, string.format("%d → %d [malformed: %d bytes]", sport, dport, len))
		return
	end
	if cap < 20 then
		t:append_text(" [header not captured]")
		return
	end
	local seq, ack = tvb(4, 4):uint(), tvb(8, 4):uint()
	local doff = math.floor(tvb(12, 1):uint() / 16)
	local hlen = doff * 4
	local flags = tvb(13, 1):uint()
	local win = tvb(14, 2):uint()
	local check = tvb(16, 2):uint()
	local syn = bit32.band(flags, 0x02) ~= 0
	local plen = len - hlen
	local problem
	if doff < 5 or hlen > len then
		problem = "data offset " .. doff .. " words"
		plen = 0
	elseif syn and bit32.band(flags, 0x05) ~= 0 then
		problem = "SYN with FIN or RST"
	elseif ctx.daddr == 0xffffffff then
		problem = "to a broadcast address"
	end

	local opts = { sack = {}, words = {} }

	-- the fixed fields, in order
	local seq_item = t:add(F.s_seq_raw, tvb(4, 4))
	local ack_item = t:add(F.s_ack_raw, tvb(8, 4))
	local hl = t:add(F.s_hdr_len, tvb(12, 1), hlen)
	hl:append_text(" bytes (" .. doff .. ")")
	t:add(F.s_doff, tvb(12, 1))
	local words = flags_in_words(flags)
	local ft = t:add(F.s_flags, tvb(13, 1))
	ft:append_text(" (" .. (words ~= "" and words or "none") .. ")")
	ft:add(F.s_flag_urg, tvb(13, 1))
	ft:add(F.s_flag_ack, tvb(13, 1))
	ft:add(F.s_flag_psh, tvb(13, 1))
	ft:add(F.s_flag_rst, tvb(13, 1))
	ft:add(F.s_flag_syn, tvb(13, 1))
	ft:add(F.s_flag_fin, tvb(13, 1))
	ft:add(F.s_flags_str, words):set_generated()
	local win_item = t:add(F.s_window, tvb(14, 2))
	local ckf = { value = F.s_checksum, calc = F.s_checksum_calc, status = F.s_checksum_status }
	if cap < len then
		add_checksum(t, ckf, tvb(16, 2), false, nil, CK_UNVERIFIED)
	else
		local raw = tvb:raw()
		local ps = pseudo_sum(ctx.saddr, ctx.daddr, 6, len)
		local calc = csum(zero16(raw, 16), ps)
		local _, st = add_checksum(t, ckf, tvb(16, 2), fold(sum16(raw, ps)) == 0xffff, calc)
		if st == CK_BAD then
			t:add_proto_expert_info(E.s_bad_checksum)
		end
	end
	t:add(F.s_urg_ptr, tvb(18, 2))
	if problem then
		t:add_proto_expert_info(E.s_bad, "Malformed segment: " .. problem)
		set_info(pinfo, ctx, string.format("%d → %d [%s] [malformed: %s]", sport, dport, words, problem))
		return
	end
	if hlen > 20 and cap >= hlen then
		opts = dissect_options(tvb, 20, hlen, t, syn)
	elseif hlen > 20 then
		t:add(F.o_all, tvb(20, math.max(0, cap - 20))):set_text("Options: [not captured]")
		opts.not_captured = true
	end

	local res = seg_info[pinfo.number]
	if not res then
		res = analyse(pinfo, ctx, sport, dport, seq, ack, flags, win, plen, opts)
		seg_info[pinfo.number] = res
	end
	t:add(F.s_stream, res.stream):set_generated()
	local fin = bit32.band(flags, 0x01) ~= 0
	local ackf = bit32.band(flags, 0x10) ~= 0
	local shown_seq = res.rel_seq or seq
	t:add(F.s_seq, shown_seq):set_generated():append_text(res.rel_seq and " (relative)" or "")
	t:add(F.s_nxtseq, seq_add(shown_seq, plen + (syn and 1 or 0) + (fin and 1 or 0))):set_generated()
	local shown_ack
	if ackf then
		shown_ack = res.rel_ack or ack
		t:add(F.s_ack, shown_ack):set_generated():append_text(res.rel_ack and " (relative)" or "")
	end
	if res.scale then
		t:add(F.s_window_factor, math.floor(2 ^ res.scale)):set_generated()
		t:add(F.s_window_scaled, win * 2 ^ res.scale):set_generated()
	else
		t:add(F.s_window_factor, -1):set_generated():append_text(" (unknown: the handshake was not seen)")
	end
	t:add(F.s_len, plen):set_generated()
	if res.retrans then
		local it = t:add(F.a_retrans, true):set_generated()
		it:add_proto_expert_info(E.s_retrans)
		if res.fast_retrans then
			t:add(F.a_fast_retrans, true):set_generated():add_proto_expert_info(E.s_fast_retrans)
		end
	end
	if res.dup_ack then
		local it = t:add(F.a_dup_ack, res.dup_ack):set_generated()
		it:add_proto_expert_info(E.s_dup_ack, string.format("Duplicate ACK (#%d)", res.dup_ack))
		t:add(F.a_dup_ack_frame, res.dup_of):set_generated()
	end

	-- the Info column, as Wireshark's TCP says it
	local info = {}
	if res.fast_retrans then
		info[#info + 1] = "[Fast Retransmission]"
	elseif res.retrans then
		info[#info + 1] = "[Retransmission]"
	end
	if res.dup_ack then
		info[#info + 1] = string.format("[Dup ACK %d#%d]", res.dup_of, res.dup_ack)
	end
	info[#info + 1] = string.format("%d → %d [%s] Seq=%u", sport, dport, words, shown_seq)
	if ackf then
		info[#info + 1] = string.format("Ack=%u", shown_ack)
	end
	info[#info + 1] = "Win=" .. (res.scale and math.floor(win * 2 ^ res.scale) or win)
	info[#info + 1] = "Len=" .. plen
	for _, w in ipairs(opts.words) do
		info[#info + 1] = w
	end
	for _, s in ipairs(opts.sack) do
		if res.rel_ack then
			-- SACK edges are the peer's numbers, relative to its ISN
			local base_ = seq_diff(ack, res.rel_ack) % 0x100000000
			info[#info + 1] = string.format("SLE=%u SRE=%u", seq_diff(s[1], base_) % 0x100000000,
							seq_diff(s[2], base_) % 0x100000000)
		else
			info[#info + 1] = string.format("SLE=%u SRE=%u", s[1], s[2])
		end
	end
	set_info(pinfo, ctx, table.concat(info, " "))
	t:append_text(string.format(", Seq: %u%s, Len: %d", shown_seq,
				    ackf and (", Ack: " .. shown_ack) or "", plen))

	if plen > 0 and cap > hlen then
		local ptvb = tvb(hlen, math.min(plen, cap - hlen)):tvb()
		t:add(F.s_payload, tvb(hlen, math.min(plen, cap - hlen)))
		if stream_ports:try(dport, ptvb, pinfo, tree) == 0 and
		   stream_ports:try(sport, ptvb, pinfo, tree) == 0 then
			data_dissector:call(ptvb, pinfo, tree)
		end
	end
end

local transports = { [1] = dissect_ctrl, [6] = dissect_stream, [17] = dissect_dgram }

-- The network header ------------------------------------------------------------

-- a fragment seen for the first time; returns the whole packet when it
-- was the last one missing
local function add_fragment(key, pinfo, off, data, more)
	local f = frags[key]
	if not f then
		f = { parts = {} }
		frags[key] = f
	end
	if not f.parts[off] then
		f.parts[off] = { data = data, frame = pinfo.number }
	end
	if not more then
		f.total = off + #data
	end
	if not f.total then
		return nil
	end
	local offs = {}
	for o in pairs(f.parts) do offs[#offs + 1] = o end
	table.sort(offs)
	local pieces, have, frames = {}, 0, {}
	for _, o in ipairs(offs) do
		local p = f.parts[o]
		if o > have then
			return nil -- a hole
		end
		if o + #p.data > have then
			pieces[#pieces + 1] = p.data:sub(have - o + 1)
			have = o + #p.data
		end
		frames[#frames + 1] = p.frame
	end
	if have < f.total then
		return nil
	end
	frags[key] = nil
	local whole = table.concat(pieces):sub(1, f.total)
	return { data = whole, frames = frames }
end

dissect_net = function(tvb, pinfo, tree, ctx)
	-- what was captured (a snap length may cut it) and what was on the wire
	local len = tvb:len()
	local rlen = ctx.quoted and len or tvb:reported_len()
	local t = tree:add(teach, tvb(0, math.min(len, 20)))
	if not ctx.quoted then
		pinfo.cols.protocol:set("TEACH")
	end
	if rlen < 20 then
		t:add_proto_expert_info(E.truncated, "Shorter than the 20-byte header")
		set_info(pinfo, ctx, "Truncated teach header")
		return len
	end
	if len < 20 then
		t:append_text(" [header not captured]")
		return len
	end
	local ver = math.floor(tvb(0, 1):uint() / 16)
	local ihl = tvb(0, 1):uint() % 16
	local hlen = ihl * 4
	local tot = tvb(2, 2):uint()
	local fo = tvb(6, 2):uint()
	local proto = tvb(9, 1):uint()
	local saddr, daddr = tvb(12, 4):uint(), tvb(16, 4):uint()
	local ttl = tvb(8, 1):uint()
	t:add(F.version, tvb(0, 1))
	local ih = t:add(F.ihl, tvb(0, 1))
	ih:append_text(" = " .. hlen .. " bytes")
	t:add(F.hdr_len, tvb(0, 1), hlen):set_generated()
	local ct = t:add(F.class, tvb(1, 1))
	ct:add(F.dscp, tvb(1, 1))
	ct:add(F.ecn, tvb(1, 1))
	local li = t:add(F.len, tvb(2, 2))
	t:add(F.id, tvb(4, 2))
	local flt = t:add(F.flags, tvb(6, 2))
	local fw = {}
	if bit32.band(fo, 0x8000) ~= 0 then fw[#fw + 1] = "Reserved" end
	if bit32.band(fo, 0x4000) ~= 0 then fw[#fw + 1] = "Don't fragment" end
	if bit32.band(fo, 0x2000) ~= 0 then fw[#fw + 1] = "More fragments" end
	flt:append_text(" (" .. (#fw > 0 and table.concat(fw, ", ") or "none") .. ")")
	flt:add(F.flags_rf, tvb(6, 2))
	flt:add(F.flags_df, tvb(6, 2))
	flt:add(F.flags_mf, tvb(6, 2))
	local offset = (fo % 0x2000) * 8
	t:add(F.frag_offset, tvb(6, 2), offset):append_text(" (" .. (fo % 0x2000) .. " x 8)")
	t:add(F.ttl, tvb(8, 1))
	t:add(F.proto, tvb(9, 1))
	local ck_range = tvb(10, 2)
	t:add(F.src, tvb(12, 4))
	t:add(F.dst, tvb(16, 4))
	t:add(F.addr, tvb(12, 4)):set_hidden()
	t:add(F.addr, tvb(16, 4)):set_hidden()
	if not ctx.quoted then
		pinfo.src = Address.ip(ipstr(saddr))
		pinfo.dst = Address.ip(ipstr(daddr))
	end
	t:append_text(string.format(", Src: %s, Dst: %s", ipstr(saddr), ipstr(daddr)))
	if ver ~= TEACH_VERSION then
		t:add_proto_expert_info(E.bad_version, "Version " .. ver .. ", not 1 (InHdrErrors)")
		set_info(pinfo, ctx, "Teach packet of version " .. ver .. " [malformed]")
		return len
	end
	if hlen < 20 or hlen > rlen then
		ih:add_proto_expert_info(E.bad_length, "Header length " .. hlen .. " bytes")
		set_info(pinfo, ctx, "Teach packet with a header of " .. hlen .. " bytes [malformed]")
		return len
	end
	if hlen > len then
		t:append_text(" [options not captured]")
		return len
	end
	local hraw = tvb:raw(0, hlen)
	local hcalc = csum(zero16(hraw, 10))
	local _, st = add_checksum(t, { value = F.checksum, calc = F.checksum_calc, status = F.checksum_status },
				   ck_range, fold(sum16(hraw, 0)) == 0xffff, hcalc)
	if st == CK_BAD then
		t:add_proto_expert_info(E.bad_checksum)
	end
	if hlen > 20 then
		t:add(F.options, tvb(20, hlen - 20))
	end
	t:set_len(hlen)
	if bit32.band(fo, 0x8000) ~= 0 then
		flt:add_proto_expert_info(E.bad_flag)
	end
	-- body_len: the payload as sent; avail: how much of it was captured
	local body_len, avail
	if ctx.quoted then
		-- a quote holds the header and 8 bytes of the payload only
		body_len = len - hlen
		avail = body_len
	else
		if tot < hlen then
			li:add_proto_expert_info(E.bad_length, "Total length " .. tot .. " below the header's")
			set_info(pinfo, ctx, "Teach packet with a total length of " .. tot .. " [malformed]")
			return len
		end
		if tot > rlen then
			li:add_proto_expert_info(E.truncated, string.format("Total length %d, but %d bytes arrived",
									     tot, rlen))
			set_info(pinfo, ctx, "Truncated teach packet")
			return len
		end
		body_len = tot - hlen
		avail = math.min(tot, len) - hlen
		if tot < len then
			tree:add(F.padding, tvb(tot, len - tot))
		end
	end
	local snapped = avail < body_len
	local tctx = { saddr = saddr, daddr = daddr, ttl = ttl, quoted = ctx.quoted,
		       length = body_len, snapped = snapped }
	local body = avail > 0 and tvb(hlen, avail) or nil
	local more = bit32.band(fo, 0x2000) ~= 0
	local pname = proto_names[proto] or ("protocol " .. proto)
	if not body then
		set_info(pinfo, ctx, string.format("Teach %s, %d bytes%s", pname, body_len,
						   body_len > 0 and " [not captured]" or ""))
		return len
	end
	if more or offset > 0 then
		if ctx.quoted then
			-- a quoted fragment: only the first has the transport header
			if offset == 0 and transports[proto] then
				transports[proto](body:tvb(), pinfo, tree, tctx)
			else
				tree:add(F.fragment_data, body)
			end
			return len
		end
		t:add_proto_expert_info(E.fragment)
		-- a fragment cut by the snap length cannot be put together
		if not pinfo.visited and not snapped then
			local key = string.format("%d %d %d %d", saddr, daddr, proto, tvb(4, 2):uint())
			local done = add_fragment(key, pinfo, offset, body:raw(), more)
			if done then
				reassembled[pinfo.number] = done
				for _, n in ipairs(done.frames) do
					reassembled_in[n] = pinfo.number
				end
			end
		end
		local done = reassembled[pinfo.number]
		tree:add(F.fragment_data, body)
		if done then
			local whole = ByteArray.new(done.data, true):tvb("Reassembled teach packet")
			local rt = tree:add(teach, whole(), "Reassembled teach packet (" .. #done.data .. " bytes)")
			for _, n in ipairs(done.frames) do
				rt:add(F.fragment, n)
			end
			rt:add(F.fragment_count, #done.frames):set_generated()
			rt:add(F.reassembled_len, #done.data):set_generated()
			if transports[proto] then
				transports[proto](whole, pinfo, tree, { saddr = saddr, daddr = daddr, ttl = ttl,
									length = #done.data })
			else
				tree:add(F.payload, whole())
			end
		else
			if reassembled_in[pinfo.number] then
				t:add(F.reassembled_in, reassembled_in[pinfo.number]):set_generated()
			end
			set_info(pinfo, ctx, string.format("Fragmented teach packet (proto=%s, off=%d, ID=0x%04x)%s",
							   pname, offset, tvb(4, 2):uint(),
							   more and "" or " [last]"))
		end
		return len
	end
	if transports[proto] then
		transports[proto](body:tvb(), pinfo, tree, tctx)
	else
		tree:add(F.payload, body)
		set_info(pinfo, ctx, string.format("Teach %s, %d bytes", pname, body_len))
	end
	return len
end

-- The Ethertype: the first nibble says which header follows ---------------------

function teach.dissector(tvb, pinfo, tree)
	if tvb:len() < 1 then
		return 0
	end
	local v = math.floor(tvb(0, 1):uint() / 16)
	if v == TEACH_NEIGH_VERSION then
		return dissect_neigh(tvb, pinfo, tree)
	end
	return dissect_net(tvb, pinfo, tree, {})
end

DissectorTable.get("ethertype"):add(ETH_P_TEACH, teach)
