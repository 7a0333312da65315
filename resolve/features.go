package resolve

import (
	"math"
	"slices"
	"strings"

	"github.com/thutuc/thutuc"
	"github.com/thutuc/thutuc/kb"
	"github.com/thutuc/thutuc/postgres"
	"github.com/thutuc/thutuc/retrieval"
	"github.com/thutuc/thutuc/vntext"
)

// Features are the numbers the model weighs, named by CandidateFeatures or NoneFeatures.
type Features []float64

// CandidateFeatures name the features of a candidate, in order.
var CandidateFeatures = []string{
	"fused",            // fused search score relative to the best
	"first",            // retrieval ranked it first
	"reciprocal_rank",  // 1 / rank
	"bm25",             // BM25 document score relative to the best (0: not found)
	"own_cosine",       // cosine of its own vector (the procedure's label vector)
	"own_gap",          // that cosine minus the best one
	"chunk_cosine",     // cosine of its best chunk
	"named",            // share of its best name the message covers
	"fully_named",      // the message contains a whole name
	"topic_cover",      // share of the message's topic words found in its names and sections
	"topic_pairs",      // adjacent topic words found side by side (up to 3, / 3)
	"action_agrees",    // +1 the action the message speaks of is its action, -1 another, 0 none named
	"applicant_agrees", // the same for who applies (a firm, a person, a foreigner)
	"level_agrees",     // the same for the level the message names
	"regulation",       // a law, not a procedure
	"current",          // the conversation's procedure
	"current_followup", // … and the message reads as a follow-up (names nothing, or points back)
	"off_topic",        // the message names a subject outside procedures that its names do not
	"sector_unnamed",   // the message names words of a sector the catalog does not cover, and its names none of them
}

// NoneFeatures name the features of "no candidate is meant", in order.
var NoneFeatures = []string{
	"bias",
	"best_own_cosine", // the best cosine of any procedure's vector
	"best_bm25",       // log(1 + the best BM25 document score)
	"best_named",      // how well the message names the best-named candidate
	"uncovered_topic", // words of a sector the catalog does not cover (up to 3, / 3)
	"off_topic",       // a subject outside procedures that no candidate's names speak of
	"no_topic",        // the message names no subject at all
	"conversation",    // the conversation has a procedure
	"length",          // log(1 + words)
	"length_named",    // length × best_named: a long message that names a procedure is less likely about none
}

// message is a message prepared for computing features.
type message struct {
	words      []string // normalised, accented
	folded     []string
	names      NameQuery
	actions    []string // actions its cues name
	applicants []string // kinds of applicant its cues name
	levels     []string // level keys it names
	noTopic    bool     // no topic word at all
	pointsBack bool     // anaphora: "thủ tục này", "thì sao", "còn …"
	off        OffTopics
	// sectorWords: the folded words of an uncovered sector the message names.
	sectorWords []string
	topicWords  int
	// namesAnother: the message wholly names a candidate that is not the conversation's.
	namesAnother bool
}

func newMessage(text string, exps []retrieval.Expansion, base *kb.Base) *message {
	m := &message{words: vntext.Words(text), folded: FoldedWords(text), names: NewNameQuery(text, exps), off: OffTopicsOf(text)}
	cs := actionCues
	if bereaved(m.words) {
		cs = deathActionCues
	}
	m.actions = cueValues(m.words, cs)
	m.applicants = cueValues(m.words, applicantCues)
	m.levels = retrieval.NamedLevels(m.words)
	m.noTopic = len(ContentWords(withoutIntentWords(m.folded))) == 0
	m.pointsBack = len(m.words) > 0 && m.words[0] == "còn" || AnyAccent(m.words, anaphora)
	if _, n, ok := base.TopicOf(text); ok {
		m.topicWords = n
	}
	return m
}

// features computes the features of candidate c at position rank of the search; top is the
// best fused score and named how well the message names c (NameQuery.Named).
func (m *message) features(c *Candidate, rank int, top, named float64) Features {
	f := make(Features, len(CandidateFeatures))
	s := c.Signals
	if top > 0 {
		f[0] = c.Result.Score / top
	}
	if rank == 0 {
		f[1] = 1
	}
	f[2] = 1 / float64(rank+1)
	if s.TextTop > 0 {
		f[3] = s.Text / s.TextTop
	}
	f[4] = s.Own
	if s.OwnRank > 0 {
		f[5] = s.Own - s.OwnTop
	} else {
		f[5] = -1
	}
	f[6] = s.Chunk
	f[7] = named
	if named >= fullyNamed {
		f[8] = 1
	}
	cover, pairs, _ := Coverage(m.words, c.Name, c.Result)
	f[9] = cover
	f[10] = float64(min(pairs, 3)) / 3
	if c.Entry != nil {
		f[11] = agreement(m.actions, c.Entry.Actions)
		f[12] = agreement(m.applicants, c.Entry.Applicants)
	}
	if len(m.levels) > 0 && c.Result.Kind == thutuc.KindProcedure {
		f[13] = -1
		for _, k := range postgres.LevelKeys(c.Result.Level) {
			if slices.Contains(m.levels, k) {
				f[13] = 1
			}
		}
	}
	if c.Result.Kind == thutuc.KindRegulation {
		f[14] = 1
	}
	if c.Current {
		f[15] = 1
		// A message naming a sector the sources do not cover is not a follow-up, however short.
		if !m.namesAnother && (m.pointsBack || m.noTopic || named < 0.5 && len(m.words) <= 8 && m.topicWords == 0) {
			f[16] = 1
		}
	}
	if m.off.About(append([]string{c.Name.Title}, c.Name.Aliases...)) {
		f[17] = 1
	}
	if len(m.sectorWords) > 0 && !namesAny(c.Name, m.sectorWords) {
		f[18] = 1
	}
	return f
}

// namesAny reports whether a candidate's title or an alias holds one of the folded words.
func namesAny(n postgres.DocumentName, words []string) bool {
	for _, s := range append([]string{n.Title}, n.Aliases...) {
		key := " " + vntext.Key(s) + " "
		for _, w := range words {
			if strings.Contains(key, " "+w+" ") {
				return true
			}
		}
	}
	return false
}

// noneFeatures computes the features of "no candidate is meant".
func (m *message) noneFeatures(cands []Candidate, conversation bool) Features {
	g := make(Features, len(NoneFeatures))
	g[0] = 1
	bestOwn, bestText, bestNamed := 0.0, 0.0, 0.0
	for _, c := range cands {
		bestOwn = max(bestOwn, c.Signals.Own)
		bestText = max(bestText, c.Signals.Text)
		if len(c.Features) > 7 {
			bestNamed = max(bestNamed, c.Features[7])
		}
	}
	g[1] = bestOwn
	g[2] = math.Log1p(bestText)
	g[3] = bestNamed
	g[4] = float64(min(m.topicWords, 3)) / 3
	if m.off.Any() && offForAll(cands) {
		g[5] = 1
	}
	if m.noTopic {
		g[6] = 1
	}
	if conversation {
		g[7] = 1
	}
	g[8] = math.Log1p(float64(len(m.words)))
	g[9] = g[8] * bestNamed
	return g
}

// offForAll reports whether the message is off topic for every candidate (its candidate
// feature off_topic): "đầu tư" in a question about an investment procedure whose title says
// "đầu tư" is that procedure's subject, while "lịch chiếu phim" is no candidate's.
func offForAll(cands []Candidate) bool {
	for _, c := range cands {
		if len(c.Features) > 17 && c.Features[17] == 0 {
			return false
		}
	}
	return true
}

// agreement is +1 when the message names one of the candidate's values, -1 when it names
// values and none is the candidate's, 0 when it names none (or the candidate has none).
func agreement(named, have []string) float64 {
	if len(named) == 0 || len(have) == 0 {
		return 0
	}
	for _, n := range named {
		if slices.Contains(have, n) {
			return 1
		}
	}
	return -1
}

// cue is a phrase of a message that names values of a facet (actions, applicants).
type cue struct {
	phrase AccentPhrase
	values []string
}

func cues(list ...any) []cue {
	var out []cue
	for i := 0; i+1 < len(list); i += 2 {
		for _, p := range AccentPhrases(list[i].(string)) {
			out = append(out, cue{phrase: p, values: list[i+1].([]string)})
		}
	}
	return out
}

func cueValues(words []string, cs []cue) []string {
	var out []string
	for _, c := range cs {
		if c.phrase.Matches(words) {
			for _, v := range c.values {
				if !slices.Contains(out, v) {
					out = append(out, v)
				}
			}
		}
	}
	return out
}

var (
	lost     = []string{"cấp lại", "trình báo"}
	expired  = []string{"cấp đổi", "gia hạn"}
	first    = []string{"cấp mới", "đăng ký"}
	amend    = []string{"điều chỉnh", "đăng ký thay đổi", "cấp đổi"}
	ending   = []string{"chấm dứt", "xóa", "thu hồi"}
	business = []string{"doanh nghiệp", "hợp tác xã", "tổ chức"}
	person   = []string{"cá nhân", "hộ gia đình"}
	foreign  = []string{"người nước ngoài", "người Việt Nam ở nước ngoài"}
)

// actionCues are the words citizens use for what they need done. "mất" also says how long or
// how much something takes ("mất bao lâu", "mất phí"), which the words after it tell.
var actionCues = cues(
	"bị mất", lost, "mất|bao phi tien thoi may nhieu lau ca", lost, "đánh mất", lost, "làm mất", lost, "thất lạc", lost,
	"bị hỏng", lost, "hư hỏng", lost, "bị rách", lost, "rách", lost, "bị cháy", lost, "báo mất", []string{"trình báo", "cấp lại"},
	"cấp lại", []string{"cấp lại"}, "làm lại", []string{"cấp lại", "cấp đổi"}, "xin lại", []string{"cấp lại"},
	"hết hạn", expired, "quá hạn", expired, "sắp hết hạn", expired, "gia hạn", []string{"gia hạn"}, "kéo dài thời hạn", []string{"gia hạn"},
	"đổi", []string{"cấp đổi", "chuyển đổi"}, "cấp đổi", []string{"cấp đổi"}, "sai thông tin", amend, "ghi sai", amend,
	"thay đổi thông tin", amend, "thay đổi", []string{"điều chỉnh", "đăng ký thay đổi", "cấp đổi"},
	"lần đầu", first, "chưa có", first, "làm mới", first, "cấp mới", first, "mới sinh", first, "mới thành lập", first,
	"sửa", []string{"điều chỉnh"}, "bổ sung", []string{"điều chỉnh"}, "điều chỉnh", []string{"điều chỉnh"}, "cập nhật", []string{"điều chỉnh"},
	"thu hồi", []string{"thu hồi"}, "hủy", ending, "chấm dứt", []string{"chấm dứt"}, "giải thể", []string{"chấm dứt"},
	"đóng cửa", []string{"chấm dứt"}, "tạm ngừng", []string{"tạm ngừng"}, "tạm dừng", []string{"tạm ngừng"}, "tạm nghỉ", []string{"tạm ngừng"},
	"xóa", []string{"xóa"}, "cắt khẩu", []string{"xóa"}, "trình báo", []string{"trình báo"}, "xác nhận", []string{"xác nhận"},
	"khai thuế", []string{"khai"}, "quyết toán", []string{"khai"}, "kê khai", []string{"khai"},
	"hoàn thuế", []string{"miễn giảm hoàn"}, "miễn thuế", []string{"miễn giảm hoàn"}, "giảm thuế", []string{"miễn giảm hoàn"},
	"sang tên", []string{"chuyển nhượng", "đăng ký thay đổi", "đăng ký"}, "chuyển nhượng", []string{"chuyển nhượng"},
)

// deathActionCues are actionCues without the bare "mất", which after a relative means died:
// "bố tôi mới mất, làm giấy báo tử ở đâu" asks for no lost paper.
var deathActionCues = slices.DeleteFunc(slices.Clone(actionCues), func(c cue) bool {
	return c.phrase.Len() == 1 && c.phrase.folded[0] == "mat"
})

// kin are the words for a person whose death a message may tell; "em", "con", "anh", "chị"
// are left out, for they also say "I" ("em mới mất ví").
var kin = WordSet("bo me cha ba ong chong vo than nha cu")

// deathWords tell that a message is about a death, and so its bare "mất" too.
var deathWords = AccentPhrases("qua đời", "từ trần", "chết", "khai tử", "báo tử", "giấy báo tử", "mai táng")

// bereaved reports whether a bare "mất" of the message means died: the message speaks of a
// death, or the "mất" follows a relative with at most a possessive and "vừa/mới/đã" between
// ("bố tôi mới mất", "người thân mất ở bệnh viện").
func bereaved(words []string) bool {
	mentions := false
	for i, w := range words {
		if w != "mất" && w != "mat" {
			continue
		}
		mentions = true
		for j := i - 1; j >= 0 && j >= i-3; j-- {
			f := vntext.Fold(words[j])
			if kin[f] {
				return true
			}
			if !kinLinks[f] {
				break
			}
		}
	}
	return mentions && AnyAccent(words, deathWords)
}

// kinLinks are the words that may stand between a relative and "mất".
var kinLinks = WordSet("toi minh em chau vua moi da")

// applicantCues are the words that say who applies.
var applicantCues = cues(
	"công ty", business, "cty", business, "doanh nghiệp", business, "dn", business, "hợp tác xã", business, "htx", business,
	"chi nhánh", business, "văn phòng đại diện", business, "ngân hàng", business,
	"cá nhân", person, "hộ gia đình", person, "gia đình tôi", person, "con tôi", person, "con mình", person, "bố tôi", person,
	"mẹ tôi", person, "vợ tôi", person, "chồng tôi", person, "nhà tôi", person, "nhà mình", person,
	"hộ kinh doanh", []string{"hộ kinh doanh"}, "người nước ngoài", foreign, "việt kiều", foreign,
)

// anaphora are the words of a follow-up that point back at the procedure being discussed.
var anaphora = AccentPhrases("thì sao", "thế còn", "vậy còn", "còn nếu", "thủ tục này", "thủ tục đó", "cái này",
	"cái đó", "trường hợp này", "như vậy", "thế thì", "vậy thì", "giấy này", "giấy đó", "ở trên", "việc này")

// intentWords are the words that say what is asked about a procedure, not which one.
var intentWords = WordSet(`nop online truc tuyen qua mang dich vu cong bao lau may ngay bao nhieu tien le phi phi mau don to khai
	giay to ho so gi can dieu kien cach buoc o dau co quan nao dau ket qua nhan duoc duoc khong khong co can cu phap ly luat
	vneid thoi gian chuan bi lam thu tuc the nao sao`)

func withoutIntentWords(folded []string) []string {
	var out []string
	for _, w := range folded {
		if !intentWords[w] {
			out = append(out, w)
		}
	}
	return out
}
