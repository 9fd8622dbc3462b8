using System.Text.Json;

namespace Tarpit.Crowdsec;

internal static partial class DecisionStreamReader
{
    /// <summary>
    /// The resumable part: fed the unread bytes each time more arrive, it consumes whole tokens and whole decision
    /// objects only (an object is read once all of it is there), so its state between two feeds is the reader's state
    /// and where it stands in the answer.
    /// </summary>
    private sealed class Parser(IDecisionSink sink)
    {
        private readonly LapiDecision _decision = new();
        private JsonReaderState _state;
        private Phase _phase = Phase.Start;
        private bool _deletedList;
        private bool _knownList;
        private int _inList;

        /// <summary>
        /// The last text read of each field that repeats from one decision to the next (a snapshot of 100,000 has a
        /// handful of origins, scopes, types and scenarios): reused when the next is the same, not one string each.
        /// </summary>
        private string? _origin, _scope, _type, _scenario;

        private enum Phase
        {
            Start,
            Root,
            Value,
            List,
            Done,
        }

        public bool Done => _phase == Phase.Done;

        public bool Truncated { get; private set; }

        /// <summary>Reads what it can of <paramref name="data"/>; returns how many bytes it consumed.</summary>
        public int Feed(ReadOnlySpan<byte> data, bool final)
        {
            var reader = new Utf8JsonReader(data, final, _state);
            while (_phase != Phase.Done)
            {
                var mark = reader;
                if (!Step(ref reader))
                {
                    reader = mark;
                    break;
                }
            }

            _state = reader.CurrentState;
            return (int)reader.BytesConsumed;
        }

        /// <summary>One token, or one whole decision; false (nothing taken) when the data ends first.</summary>
        private bool Step(ref Utf8JsonReader reader)
        {
            if (!reader.Read())
            {
                return false;
            }

            switch (_phase)
            {
                case Phase.Start:
                    Expect(reader.TokenType == JsonTokenType.StartObject, "the answer is not a JSON object");
                    _phase = Phase.Root;
                    return true;
                case Phase.Root:
                    if (reader.TokenType == JsonTokenType.EndObject)
                    {
                        _phase = Phase.Done;
                        return true;
                    }

                    _deletedList = reader.ValueTextEquals("deleted"u8);
                    _knownList = _deletedList || reader.ValueTextEquals("new"u8);
                    _phase = Phase.Value;
                    return true;
                case Phase.Value:
                    return Value(ref reader);
                default:
                    return Element(ref reader);
            }
        }

        private bool Value(ref Utf8JsonReader reader)
        {
            if (_knownList && reader.TokenType == JsonTokenType.StartArray)
            {
                _inList = 0;
                _phase = Phase.List;
                return true;
            }

            Expect(!_knownList || reader.TokenType == JsonTokenType.Null, "a list of decisions is not a JSON array");
            if (!reader.TrySkip())
            {
                return false;
            }

            _phase = Phase.Root;
            return true;
        }

        private bool Element(ref Utf8JsonReader reader)
        {
            if (reader.TokenType == JsonTokenType.EndArray)
            {
                _phase = Phase.Root;
                return true;
            }

            if (reader.TokenType == JsonTokenType.Null)
            {
                return true;
            }

            Expect(reader.TokenType == JsonTokenType.StartObject, "a decision is not a JSON object");
            var probe = reader;
            if (!probe.TrySkip())
            {
                return false;
            }

            ReadDecision(ref reader);
            if (++_inList > MaxDecisionsPerList)
            {
                Truncated = true;
                return true;
            }

            sink.Add(_decision, _deletedList);
            return true;
        }

        /// <summary>The fields of <c>pkg/models/decision.go</c> we use; others (uuid, until, …) are skipped. The whole object is in the data.</summary>
        private void ReadDecision(ref Utf8JsonReader reader)
        {
            var d = _decision;
            d.Id = 0;
            d.Origin = d.Type = d.Scope = d.Value = d.Duration = d.Scenario = null;
            d.Simulated = null;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                var name = reader;
                reader.Read();
                if (name.ValueTextEquals("id"u8))
                {
                    if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var id))
                    {
                        throw new JsonException("a decision's id is not an integer");
                    }

                    d.Id = id;
                }
                else if (name.ValueTextEquals("value"u8))
                {
                    d.Value = ReadText(ref reader);
                }
                else if (name.ValueTextEquals("scope"u8))
                {
                    d.Scope = ReadRepeated(ref reader, ref _scope);
                }
                else if (name.ValueTextEquals("type"u8))
                {
                    d.Type = ReadRepeated(ref reader, ref _type);
                }
                else if (name.ValueTextEquals("origin"u8))
                {
                    d.Origin = ReadRepeated(ref reader, ref _origin);
                }
                else if (name.ValueTextEquals("duration"u8))
                {
                    d.Duration = ReadText(ref reader);
                }
                else if (name.ValueTextEquals("scenario"u8))
                {
                    d.Scenario = ReadRepeated(ref reader, ref _scenario);
                }
                else if (name.ValueTextEquals("simulated"u8))
                {
                    Expect(reader.TokenType is JsonTokenType.True or JsonTokenType.False or JsonTokenType.Null, "a decision's simulated is not a boolean");
                    d.Simulated = reader.TokenType == JsonTokenType.Null ? null : reader.GetBoolean();
                }
                else
                {
                    reader.TrySkip();
                }
            }
        }

        /// <summary>As <see cref="ReadText"/>, but the previous decision's string when the text is the same.</summary>
        private static string? ReadRepeated(ref Utf8JsonReader reader, ref string? last)
        {
            if (last is not null && reader.TokenType == JsonTokenType.String && reader.ValueTextEquals(last))
            {
                return last;
            }

            var text = ReadText(ref reader);
            last = text ?? last;
            return text;
        }

        private static string? ReadText(ref Utf8JsonReader reader)
        {
            Expect(reader.TokenType is JsonTokenType.String or JsonTokenType.Null, "a decision's field is not a string");
            return reader.GetString();
        }

        private static void Expect(bool condition, string what)
        {
            if (!condition)
            {
                throw new JsonException(what);
            }
        }
    }
}
