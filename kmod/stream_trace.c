// SPDX-License-Identifier: GPL-2.0
/*
 * The stream transport's tracepoints (stream_trace.h) are defined here,
 * once; the other files only call them.
 */
#define CREATE_TRACE_POINTS
#include "stream_trace.h"
