using System.Text.Json.Nodes;

namespace Latchkey.ServiceDefaults.Patching;

/// <summary>
/// RFC 6902 JSON Patch over <see cref="JsonNode"/>: add, remove, replace, move, copy and test, with
/// array indexes, <c>-</c> (append) and <c>~0</c>/<c>~1</c> escapes. A patch applies to a copy and
/// either succeeds whole or fails whole, so a failed patch never leaves a half-changed document.
/// </summary>
public static class JsonPatch
{
    static readonly string[] Ops = ["add", "remove", "replace", "move", "copy", "test"];

    /// <summary>Checks a patch document's shape: an array of operations, each with a known op and valid pointers.</summary>
    public static (IReadOnlyList<PatchOperation>? Operations, string? Error) Parse(JsonNode? patch)
    {
        if (patch is not JsonArray array) return (null, "The body must be a JSON Patch document: a JSON array of operations.");

        var operations = new List<PatchOperation>(array.Count);
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is not JsonObject op) return (null, $"Operation {i} is not a JSON object.");
            if (!TryString(op, "op", out var name) || !Ops.Contains(name))
                return (null, $"Operation {i} has no valid 'op'; use one of {string.Join(", ", Ops)}.");
            if (!TryString(op, "path", out var pathText) || !JsonPointer.TryParse(pathText, out var path))
                return (null, $"Operation {i} ({name}) has no valid 'path'; a JSON Pointer such as /name is required.");

            JsonPointer? from = null;
            if (name is "move" or "copy")
            {
                if (!TryString(op, "from", out var fromText) || !JsonPointer.TryParse(fromText, out var parsed))
                    return (null, $"Operation {i} ({name} {path}) has no valid 'from' pointer.");
                from = parsed;
            }

            JsonNode? value = null;
            if (name is "add" or "replace" or "test")
            {
                // The member must be present; its value may be null.
                if (!op.TryGetPropertyValue("value", out value))
                    return (null, $"Operation {i} ({name} {path}) has no 'value'.");
            }
            operations.Add(new PatchOperation(name, path, from, value?.DeepClone()));
        }
        return (operations, null);
    }

    /// <summary>Applies the operations in order to a copy of <paramref name="document"/>; the first failure stops everything.</summary>
    public static (JsonNode? Result, string? Error) Apply(JsonNode? document, IReadOnlyList<PatchOperation> operations)
    {
        var target = new Document(document?.DeepClone());
        for (var i = 0; i < operations.Count; i++)
        {
            var op = operations[i];
            var error = op.Op switch
            {
                "add" => target.Add(op.Path, op.Value?.DeepClone()),
                "remove" => target.Remove(op.Path, out _),
                "replace" => target.Replace(op.Path, op.Value?.DeepClone()),
                "move" => target.Move(op.From!, op.Path),
                "copy" => target.Copy(op.From!, op.Path),
                _ => target.Test(op.Path, op.Value),
            };
            if (error is not null) return (null, $"Operation {i} ({op}) failed: {error}");
        }
        return (target.Root, null);
    }

    static bool TryString(JsonObject op, string member, out string value)
    {
        value = "";
        if (op[member] is not JsonValue node || !node.TryGetValue<string>(out var text)) return false;
        value = text;
        return true;
    }

    sealed class Document(JsonNode? root)
    {
        public JsonNode? Root { get; private set; } = root;

        public string? Add(JsonPointer path, JsonNode? value)
        {
            if (path.IsRoot)
            {
                Root = value;
                return null;
            }
            var error = Find(path.Parent, out var parent);
            if (error is not null) return error;
            switch (parent)
            {
                case JsonObject obj:
                    obj[path.Last] = value;
                    return null;
                case JsonArray array when path.Last == "-":
                    array.Add(value);
                    return null;
                case JsonArray array:
                    if (!JsonPointer.TryParseIndex(path.Last, out var index) || index > array.Count)
                        return $"'{path.Last}' is not an index from 0 to {array.Count} or '-' in the array at '{path.Parent}'.";
                    array.Insert(index, value);
                    return null;
                default:
                    return $"'{path.Parent}' is neither an object nor an array.";
            }
        }

        public string? Remove(JsonPointer path, out JsonNode? removed)
        {
            removed = null;
            if (path.IsRoot) return "the document itself cannot be removed.";
            var error = Find(path.Parent, out var parent);
            if (error is not null) return error;
            switch (parent)
            {
                case JsonObject obj when obj.TryGetPropertyValue(path.Last, out removed):
                    obj.Remove(path.Last);
                    return null;
                case JsonArray array when JsonPointer.TryParseIndex(path.Last, out var index) && index < array.Count:
                    removed = array[index];
                    array.RemoveAt(index);
                    return null;
                default:
                    return $"'{path}' does not exist.";
            }
        }

        public string? Replace(JsonPointer path, JsonNode? value)
        {
            var error = Find(path, out _);
            if (error is not null) return error;
            if (path.IsRoot)
            {
                Root = value;
                return null;
            }
            // The target exists, so its parent is an object holding the key or an array holding the index.
            Find(path.Parent, out var parent);
            if (parent is JsonArray array && JsonPointer.TryParseIndex(path.Last, out var index)) array[index] = value;
            else if (parent is JsonObject obj) obj[path.Last] = value;
            return null;
        }

        public string? Move(JsonPointer from, JsonPointer path)
        {
            if (from.IsProperPrefixOf(path)) return $"'{from}' cannot be moved into its own child '{path}'.";
            var error = Find(from, out _);
            if (error is not null) return error;
            if (from.Tokens.SequenceEqual(path.Tokens)) return null;
            return Remove(from, out var value) ?? Add(path, value);
        }

        public string? Copy(JsonPointer from, JsonPointer path)
        {
            var error = Find(from, out var value);
            return error ?? Add(path, value?.DeepClone());
        }

        public string? Test(JsonPointer path, JsonNode? expected)
        {
            var error = Find(path, out var actual);
            if (error is not null) return error;
            return JsonNode.DeepEquals(actual, expected)
                ? null
                : $"the value at '{path}' is {actual?.ToJsonString() ?? "null"}, not {expected?.ToJsonString() ?? "null"}.";
        }

        /// <summary>Walks to an existing value; <c>-</c> names no existing element, so it never resolves here.</summary>
        string? Find(JsonPointer path, out JsonNode? node)
        {
            node = Root;
            for (var i = 0; i < path.Tokens.Count; i++)
            {
                var token = path.Tokens[i];
                switch (node)
                {
                    case JsonObject obj when obj.TryGetPropertyValue(token, out var child):
                        node = child;
                        break;
                    case JsonArray array when JsonPointer.TryParseIndex(token, out var index) && index < array.Count:
                        node = array[index];
                        break;
                    default:
                        node = null;
                        return $"'{path}' does not exist.";
                }
            }
            return null;
        }
    }
}
