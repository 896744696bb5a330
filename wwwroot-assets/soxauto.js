// Saves a file the server hands over as a stream (the access review workbook), as Blazor's file-download
// guidance does it: the bytes become a blob the browser downloads under the given name.
window.soxautoSaveFile = async (fileName, streamReference) => {
    const blob = new Blob([await streamReference.arrayBuffer()]);
    const url = URL.createObjectURL(blob);
    const link = document.createElement('a');
    link.href = url;
    link.download = fileName ?? '';
    link.click();
    link.remove();
    URL.revokeObjectURL(url);
};
