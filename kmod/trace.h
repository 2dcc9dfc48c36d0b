/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tracepoints of the mailslot module: /sys/kernel/tracing/events/mailslot/.
 *
 * Every event takes plain values so that a call site is one line and this
 * header needs nothing from the structures of slot.c, procobj.c or wait.c.
 * kmod/main.c defines CREATE_TRACE_POINTS before including this file.
 *
 * Slot names are stored with __dynamic_array() rather than __string(): the
 * arguments of __assign_str() changed in 6.10, __dynamic_array() did not.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM mailslot

#if !defined(_MAILSLOT_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _MAILSLOT_TRACE_H

#include <linux/mailslot.h>
#include <linux/string.h>
#include <linux/tracepoint.h>
#include <linux/types.h>

TRACE_DEFINE_ENUM(MAILSLOT_OVERFLOW_BLOCK);
TRACE_DEFINE_ENUM(MAILSLOT_OVERFLOW_FAIL);
TRACE_DEFINE_ENUM(MAILSLOT_OVERFLOW_DROP);

/* The slot name field; every event that has one calls its argument name. */
#define MAILSLOT_TRACE_NAME	__dynamic_array(char, name, strlen(name) + 1)
#define MAILSLOT_TRACE_SET_NAME	\
	memcpy(__get_dynamic_array(name), name, __get_dynamic_array_len(name))

TRACE_EVENT(mailslot_slot_create,
	    TP_PROTO(const char *name, u32 max_msg_size, u32 max_msgs,
		     u32 max_bytes, u32 overflow),
	    TP_ARGS(name, max_msg_size, max_msgs, max_bytes, overflow),
	    TP_STRUCT__entry(MAILSLOT_TRACE_NAME
			     __field(u32, max_msg_size)
			     __field(u32, max_msgs)
			     __field(u32, max_bytes)
			     __field(u32, overflow)),
	    TP_fast_assign(MAILSLOT_TRACE_SET_NAME;
			   __entry->max_msg_size = max_msg_size;
			   __entry->max_msgs = max_msgs;
			   __entry->max_bytes = max_bytes;
			   __entry->overflow = overflow;),
	    TP_printk("name=%s max_msg_size=%u max_msgs=%u max_bytes=%u overflow=%s",
		      __get_str(name), __entry->max_msg_size,
		      __entry->max_msgs, __entry->max_bytes,
		      __print_symbolic(__entry->overflow,
				       { MAILSLOT_OVERFLOW_BLOCK, "block" },
				       { MAILSLOT_OVERFLOW_FAIL, "fail" },
				       { MAILSLOT_OVERFLOW_DROP, "drop" }))
);

TRACE_EVENT(mailslot_slot_destroy,
	    TP_PROTO(const char *name, u64 sent),
	    TP_ARGS(name, sent),
	    TP_STRUCT__entry(MAILSLOT_TRACE_NAME
			     __field(u64, sent)),
	    TP_fast_assign(MAILSLOT_TRACE_SET_NAME;
			   __entry->sent = sent;),
	    TP_printk("name=%s sent=%llu", __get_str(name), __entry->sent)
);

TRACE_EVENT(mailslot_send,
	    TP_PROTO(const char *name, u64 seq, u32 size, u32 readers),
	    TP_ARGS(name, seq, size, readers),
	    TP_STRUCT__entry(MAILSLOT_TRACE_NAME
			     __field(u64, seq)
			     __field(u32, size)
			     __field(u32, readers)),
	    TP_fast_assign(MAILSLOT_TRACE_SET_NAME;
			   __entry->seq = seq;
			   __entry->size = size;
			   __entry->readers = readers;),
	    TP_printk("name=%s seq=%llu size=%u readers=%u", __get_str(name),
		      __entry->seq, __entry->size, __entry->readers)
);

TRACE_EVENT(mailslot_receive,
	    TP_PROTO(const char *name, u64 seq, u32 size),
	    TP_ARGS(name, seq, size),
	    TP_STRUCT__entry(MAILSLOT_TRACE_NAME
			     __field(u64, seq)
			     __field(u32, size)),
	    TP_fast_assign(MAILSLOT_TRACE_SET_NAME;
			   __entry->seq = seq;
			   __entry->size = size;),
	    TP_printk("name=%s seq=%llu size=%u", __get_str(name),
		      __entry->seq, __entry->size)
);

TRACE_EVENT(mailslot_drop,
	    TP_PROTO(const char *name, u64 seq, u32 size, u64 drops),
	    TP_ARGS(name, seq, size, drops),
	    TP_STRUCT__entry(MAILSLOT_TRACE_NAME
			     __field(u64, seq)
			     __field(u64, drops)
			     __field(u32, size)),
	    TP_fast_assign(MAILSLOT_TRACE_SET_NAME;
			   __entry->seq = seq;
			   __entry->drops = drops;
			   __entry->size = size;),
	    TP_printk("name=%s seq=%llu size=%u drops=%llu", __get_str(name),
		      __entry->seq, __entry->size, __entry->drops)
);

TRACE_EVENT(mailslot_proc_signal,
	    TP_PROTO(pid_t pid, int status),
	    TP_ARGS(pid, status),
	    TP_STRUCT__entry(__field(pid_t, pid)
			     __field(int, status)),
	    TP_fast_assign(__entry->pid = pid;
			   __entry->status = status;),
	    TP_printk("pid=%d status=0x%x", __entry->pid, __entry->status)
);

TRACE_EVENT(mailslot_wait_begin,
	    TP_PROTO(u32 count, u32 flags, u64 timeout_ns),
	    TP_ARGS(count, flags, timeout_ns),
	    TP_STRUCT__entry(__field(u64, timeout_ns)
			     __field(u32, count)
			     __field(u32, flags)),
	    TP_fast_assign(__entry->timeout_ns = timeout_ns;
			   __entry->count = count;
			   __entry->flags = flags;),
	    TP_printk("count=%u flags=%s timeout_ns=%llu", __entry->count,
		      __print_flags(__entry->flags, "|",
				    { MAILSLOT_WAIT_ALL, "ALL" },
				    { MAILSLOT_WAIT_ABSOLUTE, "ABSOLUTE" }),
		      __entry->timeout_ns)
);

TRACE_EVENT(mailslot_wait_end,
	    TP_PROTO(int ret, u32 index),
	    TP_ARGS(ret, index),
	    TP_STRUCT__entry(__field(int, ret)
			     __field(u32, index)),
	    TP_fast_assign(__entry->ret = ret;
			   __entry->index = index;),
	    TP_printk("ret=%d index=%u", __entry->ret, __entry->index)
);

#endif /* _MAILSLOT_TRACE_H */

/*
 * An out-of-tree trace header: define_trace.h includes
 * <TRACE_INCLUDE_PATH/TRACE_INCLUDE_FILE.h>, which is ./trace.h in the
 * -I$(src) directory given by kmod/Kbuild.
 */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace

#include <trace/define_trace.h>
