package chat

import (
	"strings"

	"github.com/thutuc/thutuc/resolve"
)

// smallTalk are the greetings and thanks a message may consist of, folded.
var smallTalk = resolve.Phrases("xin chao", "chao", "chao ban", "chao em", "chao anh", "chao chi", "hello", "hi", "alo",
	"cam on", "cam on ban", "cam on nhieu", "cam on em", "xin cam on", "thanks", "thank you", "ok cam on", "tam biet", "bye")

// politeWords may surround a greeting ("dạ chào bạn ạ", "cảm ơn nhé").
var politeWords = resolve.WordSet(`da a nhe nha nhieu lam ban em anh chi ad admin minh bot oi ok vang thi roi nhe`)

// greetWords are the words of the greetings and thanks.
var greetWords = resolve.WordSet(`xin chao hello hi alo cam on thanks thank you tam biet bye`)

// isSmallTalk reports whether a message is only a greeting or thanks: it names no need.
func isSmallTalk(msg string) bool {
	words := resolve.FoldedWords(msg)
	if len(words) == 0 || len(words) > 6 || !resolve.ContainsAny(words, smallTalk) {
		return false
	}
	for _, w := range words {
		if !greetWords[w] && !politeWords[w] {
			return false
		}
	}
	return true
}

// greetingText answers a greeting with what the assistant can do, and thanks with a welcome.
func greetingText(msg string) string {
	words := strings.Join(resolve.FoldedWords(msg), " ")
	if strings.Contains(words, "cam on") || strings.Contains(words, "thank") {
		return "Rất vui được giúp bạn. Nếu còn cần hỏi thủ tục nào, bạn cứ nhắn."
	}
	if strings.Contains(words, "tam biet") || strings.Contains(words, "bye") {
		return "Chào bạn. Khi cần tra cứu thủ tục, bạn cứ quay lại nhé."
	}
	return "Xin chào! " + canHelpWith
}
