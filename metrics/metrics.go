// Package metrics keeps the service's Prometheus metrics in a registry of its own and serves
// them: request latency per route, time per search (retrieval) and per chat stage (loading the conversation, resolving
// the procedure, composing, the LLM, saving), answers by status, LLM fallbacks, lexical index
// builds and rate-limited requests, with the Go runtime's and the process's.
package metrics

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics records what the service does. A nil *Metrics records nothing.
type Metrics struct {
	reg       *prometheus.Registry
	requests  *prometheus.HistogramVec
	stages    *prometheus.HistogramVec
	answers   *prometheus.CounterVec
	fallbacks *prometheus.CounterVec
	builds    *prometheus.HistogramVec
	limited   *prometheus.CounterVec
	searches  *prometheus.HistogramVec
}

// New returns metrics registered in a new registry.
func New() *Metrics {
	reg := prometheus.NewRegistry()
	m := &Metrics{
		reg: reg,
		requests: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "thutuc_http_request_duration_seconds", Help: "HTTP requests by route, method and status.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}, []string{"route", "method", "status"}),
		stages: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "thutuc_chat_stage_duration_seconds", Help: "Time of each stage of a chat answer: load (conversation), resolve (retrieval and the resolver), compose, llm, save.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60},
		}, []string{"stage"}),
		answers: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "thutuc_chat_answers_total", Help: "Chat answers by status (answered, clarify, no_answer, declined, greeting).",
		}, []string{"status"}),
		fallbacks: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "thutuc_llm_fallbacks_total", Help: "LLM answers replaced by the extractive one, by reason.",
		}, []string{"reason"}),
		builds: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "thutuc_lexical_index_build_duration_seconds", Help: "Builds of the in-memory lexical index, by result.",
			Buckets: []float64{.05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}, []string{"result"}),
		searches: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "thutuc_search_duration_seconds", Help: "Retrieval: each search (for /v1/search, the pages and the resolver), by mode.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"mode"}),
		limited: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "thutuc_rate_limited_requests_total", Help: "Requests refused with 429, by limit (chat, search, feedback).",
		}, []string{"limit"}),
	}
	reg.MustRegister(m.requests, m.stages, m.answers, m.fallbacks, m.builds, m.limited, m.searches,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// Request records an HTTP request. route is the route's pattern ("/v1/documents/:id"), not
// the path, so that ids do not become series.
func (m *Metrics) Request(route, method string, status int, d time.Duration) {
	if m == nil {
		return
	}
	if route == "" {
		route = "unmatched"
	}
	m.requests.WithLabelValues(route, method, strconv.Itoa(status)).Observe(d.Seconds())
}

// Stage records the time of one stage of a chat answer.
func (m *Metrics) Stage(stage string, d time.Duration) {
	if m != nil {
		m.stages.WithLabelValues(stage).Observe(d.Seconds())
	}
}

// Answer counts a chat answer by its status.
func (m *Metrics) Answer(status string) {
	if m != nil {
		m.answers.WithLabelValues(status).Inc()
	}
}

// Fallback counts an LLM answer replaced by the extractive one.
func (m *Metrics) Fallback(reason string) {
	if m != nil {
		m.fallbacks.WithLabelValues(reason).Inc()
	}
}

// IndexBuild records a build of the lexical index.
func (m *Metrics) IndexBuild(d time.Duration, err error) {
	if m == nil {
		return
	}
	result := "ok"
	if err != nil {
		result = "error"
	}
	m.builds.WithLabelValues(result).Observe(d.Seconds())
}

// Search records the time of one search.
func (m *Metrics) Search(mode string, d time.Duration) {
	if m != nil {
		m.searches.WithLabelValues(mode).Observe(d.Seconds())
	}
}

// Limited counts a request refused by a rate limit.
func (m *Metrics) Limited(limit string) {
	if m != nil {
		m.limited.WithLabelValues(limit).Inc()
	}
}
