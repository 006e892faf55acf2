namespace Latchkey.Bench;

/// <summary>
/// What every wrk connection sends, over and over: a GET of <see cref="Path"/>, or with a <see cref="Body"/> a form POST
/// through <c>scripts/bench/post.lua</c>. <see cref="Authorization"/> is the header's whole value.
/// </summary>
sealed record WrkRequest(string Path, string? Body = null, string? Authorization = null);
